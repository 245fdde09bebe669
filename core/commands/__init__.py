"""What the CLI (``labelloom.core.cli``) does, as plain async functions: ``db`` (migrations and
user accounts) and ``transfer`` (``labelloom export`` / ``labelloom import``).

They build their own engine, plugin host and background wiring, so they sit on top of every
package they drive (next to ``cli`` and ``app``); nothing below imports them.
"""
