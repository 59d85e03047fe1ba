#!/usr/bin/env bash
# The stack's TLS certificate, made once on first start (compose service "certs"): a self-signed
# certificate for HTTPS and WSS (the reverse proxy) and for Asterisk's HTTPS/WSS server
# (http.conf). Kept across restarts; made again only when missing or expiring within a day.
#   CERT_DIR      where server.crt and server.key go (default /certs)
#   PUBLIC_HOST   the name or address browsers use (default localhost); put in CN and SAN
#   CERT_EXTRA_SANS  more subjectAltName entries, e.g. "DNS:pbx.clinic.local,IP:192.168.1.10"
#   CERT_DAYS     validity (default 825, the longest browsers accept)
#   CERT_GID      group that may read the key (default 1000: Asterisk's and the app's user)
set -euo pipefail

cert_dir=${CERT_DIR:-/certs}
host=${PUBLIC_HOST:-localhost}
days=${CERT_DAYS:-825}
gid=${CERT_GID:-1000}
crt="$cert_dir/server.crt"
key="$cert_dir/server.key"

if [[ -s "$crt" && -s "$key" ]] && openssl x509 -checkend 86400 -noout -in "$crt" >/dev/null 2>&1; then
  echo "certs: keeping $crt ($(openssl x509 -noout -subject -enddate -in "$crt" | tr '\n' ' '))"
  exit 0
fi

if [[ "$host" =~ ^[0-9]+(\.[0-9]+){3}$ || "$host" == *:* ]]; then
  san="IP:$host"
else
  san="DNS:$host"
fi
[[ "$host" == localhost ]] || san="$san,DNS:localhost"
san="$san,IP:127.0.0.1"
[[ -z "${CERT_EXTRA_SANS:-}" ]] || san="$san,$CERT_EXTRA_SANS"

mkdir -p "$cert_dir"
umask 077
tmp=$(mktemp -d "$cert_dir/.new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -nodes -days "$days" \
  -subj "/CN=$host/O=Call Center" \
  -addext "subjectAltName=$san" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$tmp/server.key" -out "$tmp/server.crt" 2>/dev/null
chmod 0644 "$tmp/server.crt"
chmod 0640 "$tmp/server.key"
if [[ "$(id -u)" -eq 0 ]]; then
  chown "0:$gid" "$tmp/server.key" "$tmp/server.crt"
fi
mv -f "$tmp/server.key" "$key"
mv -f "$tmp/server.crt" "$crt"
echo "certs: made $crt for $host (subjectAltName $san, $days days)"
