#!/usr/bin/env bash
# tests/deploy/test_templates.py checks deploy/compose.yaml with `docker compose config`
# (or Debian's `docker-compose config`), which needs no Docker engine; install Debian's
# docker-compose when neither is there.
set -euo pipefail
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "docker compose is missing and this is not root: install it (apt-get install docker-compose) or the compose check skips" >&2
  exit 0
fi
echo "Installing docker-compose (Debian package) to check deploy/compose.yaml ..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show docker-compose >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
fi
apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
