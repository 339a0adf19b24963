#!/usr/bin/env bash
# The dashboard tests drive a real headless Chromium; install Debian's package when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing and this is not root: install it (apt-get install chromium) or the browser tests skip" >&2
  exit 0
fi
echo "Installing chromium (Debian package) for the browser tests ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
