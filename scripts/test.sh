#!/bin/sh
# The test command of the README: install everything the tests need (the
# package with its test extras, Debian's chromium for the browser tests) and
# run the whole suite.  Extra arguments go to pytest.
set -e
cd "$(dirname "$0")/.."
sh scripts/setup.sh "[test]"
sh scripts/install-chromium.sh
exec .venv/bin/python -m pytest "$@"
