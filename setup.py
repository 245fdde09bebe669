"""Maps the top-level folders core/, plugins/ and web/ into the labelloom namespace.

pyproject.toml cannot express a prefixed package mapping together with package discovery,
so this file computes it; everything else lives in pyproject.toml.
"""

from setuptools import find_packages, setup

ROOTS = ("core", "plugins", "web")
package_dir = {}
for root in ROOTS:
    for name in (root, *(f"{root}.{sub}" for sub in find_packages(root))):
        package_dir[f"labelloom.{name}"] = name.replace(".", "/")

setup(packages=sorted(package_dir), package_dir=package_dir)
