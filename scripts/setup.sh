#!/bin/sh
# Create the project's virtual environment (.venv) and install timeline into it.
#   sh scripts/setup.sh            # the tool
#   sh scripts/setup.sh "[test]"   # the tool and what the tests need
# Works on a fresh Debian/Ubuntu machine with only python3: installs the
# python3-venv package with apt-get when the venv module is missing.
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
extras=${1:-}
if [ ! -x .venv/bin/python ]; then
    if ! "$PY" -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO=sudo
        echo "setup: installing python3-venv with apt-get" >&2
        $SUDO apt-get install -y python3-venv >/dev/null 2>&1 ||
            { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y python3-venv >/dev/null; }
        "$PY" -m venv .venv
    fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extras"
