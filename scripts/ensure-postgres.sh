#!/usr/bin/env bash
# The deployment tests start a private PostgreSQL cluster (initdb + pg_ctl); install
# Debian's server package when its binaries are missing.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL is missing and this is not root: install it (apt-get install postgresql) or the deployment tests skip" >&2
  exit 0
fi
echo "Installing postgresql (Debian package) for the deployment tests ..."
export DEBIAN_FRONTEND=noninteractive
# The package lists are fetched only when apt does not know the package yet.
if ! apt-cache show postgresql >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
fi
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
