"""Set-up behind the README's commands (`python3 scripts/dev.py build|test|lock|install`).

Standard library only: this runs before the virtual environment exists. Each module owns one step:
`system` (the machine: Debian/Ubuntu, root, apt-get), `browser` (finding Chromium), `machine` (the system
packages of requirements/system.toml, made ready before any test), `venv` (.venv from the lock), `lockfile`
(the lock's files, read back), `locking` (refreshing the lock with a hash-pinned uv).
"""
