"""Set-up behind the README's commands (`python3 scripts/dev.py build|test|lock`).

Standard library only: this runs before the virtual environment exists. Each module owns one step:
`system` (the machine: Debian/Ubuntu, root, apt-get), `browser` (finding Chromium), `venv` (.venv from the
lock), `locking` (refreshing the lock with a hash-pinned uv), `lockfile` (reading lock and input files).
"""
