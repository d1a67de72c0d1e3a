#!/bin/sh
# Install Debian's chromium for the browser tests (Playwright drives it; no
# browser download). Idempotent: exits 0 at once when a chromium is found
# ($TIMELINE_CHROMIUM, chromium, chromium-browser, google-chrome).
# apt-get update runs only if the first install attempt fails (stale lists).
set -e
for b in "${TIMELINE_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$b" ] || continue
    if command -v "$b" >/dev/null 2>&1 || [ -x "$b" ]; then
        echo "install-chromium: found $(command -v "$b" || echo "$b")"
        exit 0
    fi
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-chromium: not root and no sudo; install chromium yourself" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing chromium with apt-get" >&2
if ! $SUDO apt-get install -y --no-install-recommends chromium; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends chromium
fi
command -v chromium >/dev/null 2>&1 || { echo "install-chromium: chromium still not on PATH" >&2; exit 1; }
echo "install-chromium: installed $(command -v chromium)"
