"""Maps the top-level folders core/, plugins/ and web/ into the labelloom namespace, and makes
sure the browser libraries are vendored into web/static/vendor before a wheel is built (so an
installed wheel serves the web app without Node).

pyproject.toml cannot express a prefixed package mapping together with package discovery,
so this file computes it; everything else lives in pyproject.toml.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
WEB = HERE / "web"
ROOTS = ("core", "plugins", "web")
package_dir = {}
for root in ROOTS:
    for name in (root, *(f"{root}.{sub}" for sub in find_packages(root))):
        package_dir[f"labelloom.{name}"] = name.replace(".", "/")


class BuildWithVendoredLibraries(build_py):
    def run(self) -> None:
        if (WEB / "package-lock.json").exists() and not (WEB / "static" / "vendor" / "importmap.json").exists():
            if not (WEB / "node_modules").exists():
                subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=WEB, check=True)
            subprocess.run([sys.executable, str(WEB / "vendor.py"), str(WEB)], check=True)
        super().run()


setup(packages=sorted(package_dir), package_dir=package_dir, cmdclass={"build_py": BuildWithVendoredLibraries})
