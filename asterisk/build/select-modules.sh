#!/usr/bin/env bash
# Prints, one per line, the menuselect arguments that build exactly the modules a modules.conf
# loads: every module category switched off, then each `load`/`require`/`preload` module on.
# asterisk/Dockerfile passes them to menuselect; asterisk/test/docker-build.test.ts runs this.
#   usage: select-modules.sh path/to/modules.conf
set -euo pipefail
conf=${1:?usage: select-modules.sh modules.conf}
mapfile -t modules < <(sed -n -E 's/^[[:space:]]*(load|require|preload)[[:space:]]*=>?[[:space:]]*([A-Za-z0-9_]+)\.so.*$/\2/p' "$conf")
if [ "${#modules[@]}" -eq 0 ]; then
  echo "select-modules: no modules loaded in $conf" >&2
  exit 1
fi
for category in MENUSELECT_ADDONS MENUSELECT_APPS MENUSELECT_BRIDGES MENUSELECT_CDR MENUSELECT_CEL \
  MENUSELECT_CHANNELS MENUSELECT_CODECS MENUSELECT_FORMATS MENUSELECT_FUNCS MENUSELECT_PBX \
  MENUSELECT_RES MENUSELECT_TESTS; do
  printf '%s\n' --disable-category "$category"
done
for module in "${modules[@]}"; do
  printf '%s\n' --enable "$module"
done
