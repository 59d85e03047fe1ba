#!/usr/bin/env bash
# Runs once, when the PostgreSQL cluster is created (/docker-entrypoint-initdb.d): the login role
# Asterisk's cel_pgsql/cdr_pgsql use (ASTERISK_DATABASE_URL). It may only insert into its
# server's cel/cdr tables, which the app's migrations create (sql/asterisk/cel-cdr.sql) as the
# owner POSTGRES_USER: default privileges grant INSERT (and the id sequences) on them.
#   ASTERISK_DB_USER (default asterisk), ASTERISK_DB_PASSWORD, ASTERISK_DB_SCHEMA (default asterisk)
set -euo pipefail
: "${ASTERISK_DB_PASSWORD:?set ASTERISK_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="${ASTERISK_DB_USER:-asterisk}" \
  -v password="$ASTERISK_DB_PASSWORD" \
  -v schema="${ASTERISK_DB_SCHEMA:-asterisk}" \
  -v owner="$POSTGRES_USER" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"owner";
GRANT USAGE ON SCHEMA :"schema" TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT INSERT ON TABLES TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT USAGE ON SEQUENCES TO :"role";
SQL
