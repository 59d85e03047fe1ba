-- Asterisk's own tables, as cel_pgsql and cdr_pgsql write them (Asterisk 18.16+, 20/22 LTS).
-- Run per Asterisk server, in that server's schema: psql -v schema=asterisk -f cel-cdr.sql
--
-- Column set: docs.asterisk.org "PostgreSQL CEL Backend" and contrib/realtime/postgresql/
-- postgresql_cdr.sql. Differences from the documented DDL, both on purpose:
--   * text instead of varchar(N): cel_pgsql does not truncate; a value longer than its column
--     makes the insert fail and the row is dropped after one retry (appdata reached 59 of 80 and
--     extra 388 of 512 characters in the captures).
--   * id bigserial primary keys: the collector reads by id watermark; both backends skip a column
--     that has a default.
-- Indexes on linkedid serve re-derivation of one call when a row arrives late. The statement-level
-- trigger NOTIFYs the collector (channel asterisk_rows, payload schema.table) after each insert.

CREATE SCHEMA IF NOT EXISTS :"schema";

CREATE TABLE IF NOT EXISTS :"schema".cel (
  id bigserial PRIMARY KEY,
  eventtype text NOT NULL,
  eventtime timestamp NOT NULL,
  userdeftype text NOT NULL DEFAULT '',
  cid_name text NOT NULL DEFAULT '',
  cid_num text NOT NULL DEFAULT '',
  cid_ani text NOT NULL DEFAULT '',
  cid_rdnis text NOT NULL DEFAULT '',
  cid_dnid text NOT NULL DEFAULT '',
  exten text NOT NULL DEFAULT '',
  context text NOT NULL DEFAULT '',
  channame text NOT NULL DEFAULT '',
  appname text NOT NULL DEFAULT '',
  appdata text NOT NULL DEFAULT '',
  amaflags int NOT NULL DEFAULT 0,
  accountcode text NOT NULL DEFAULT '',
  peeraccount text NOT NULL DEFAULT '',
  uniqueid text NOT NULL DEFAULT '',
  linkedid text NOT NULL DEFAULT '',
  userfield text NOT NULL DEFAULT '',
  peer text NOT NULL DEFAULT '',
  extra text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS cel_linkedid_idx ON :"schema".cel (linkedid);
CREATE INDEX IF NOT EXISTS cel_uniqueid_idx ON :"schema".cel (uniqueid);

CREATE TABLE IF NOT EXISTS :"schema".cdr (
  id bigserial PRIMARY KEY,
  accountcode text,
  src text,
  dst text,
  dcontext text,
  clid text,
  channel text,
  dstchannel text,
  lastapp text,
  lastdata text,
  start timestamp without time zone,
  answer timestamp without time zone,
  "end" timestamp without time zone,
  duration integer,
  billsec integer,
  disposition text,
  amaflags text,
  userfield text,
  uniqueid text,
  linkedid text,
  peeraccount text,
  sequence integer
);
CREATE INDEX IF NOT EXISTS cdr_linkedid_idx ON :"schema".cdr (linkedid);

CREATE OR REPLACE FUNCTION :"schema".notify_asterisk_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('asterisk_rows', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS cel_notify ON :"schema".cel;
CREATE TRIGGER cel_notify AFTER INSERT ON :"schema".cel
  FOR EACH STATEMENT EXECUTE FUNCTION :"schema".notify_asterisk_rows();
DROP TRIGGER IF EXISTS cdr_notify ON :"schema".cdr;
CREATE TRIGGER cdr_notify AFTER INSERT ON :"schema".cdr
  FOR EACH STATEMENT EXECUTE FUNCTION :"schema".notify_asterisk_rows();
