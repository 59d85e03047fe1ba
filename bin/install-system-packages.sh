#!/usr/bin/env bash
# The Debian packages the project needs beside npm's (README's two commands run this first):
#   chromium          headless browser for the web app's end-to-end tests and bench:web
#   postgresql-client pg_dump / pg_restore for the nightly archive (major 15 = the embedded server's)
#   docker-compose    `docker-compose config -q` validation of docker-compose.yml (no engine needed)
# Installs only what is missing; as root directly, otherwise through sudo when it is available.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "install-system-packages: missing ${missing[*]} and not root (no sudo): install them with apt-get" >&2
  exit 1
fi
echo "install-system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
