-- The nightly archive to the NAS (docs/operations.md#backups-archive-and-restore): one row per run and one per step of a
-- run (postgres dump, recordings copy, ClickHouse Parquet export, retention), so an admin sees
-- whether last night's archive succeeded (GET /archive/runs) and a manual `callcenter archive
-- --now` beside a running main job can hand its run to that job ('requested' rows, NOTIFY
-- callcenter_archive) and follow its progress here.
--
-- A run is 'succeeded' only when every step succeeded: a partial failure is 'failed' with the
-- failing steps' errors. Runs never overlap: the runner holds a session advisory lock for the
-- whole run, and at most one row is 'running' (the index below); a 'running' row found by the
-- next run that got the lock was interrupted (process killed) and is closed as failed.

CREATE TABLE app.archive_runs (
  id bigserial PRIMARY KEY,
  trigger text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  status text NOT NULL CHECK (status IN ('requested', 'running', 'succeeded', 'failed')),
  -- The archive root the run wrote to (ARCHIVE_DIR or --target), absolute.
  target_dir text NOT NULL,
  -- The night's date (YYYY-MM-DD) in time_zone when the run started: names the dump
  -- (callcenter-<date>.dump). Text, not date: node-pg would turn a date into a local-midnight Date.
  archive_date text CHECK (archive_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  time_zone text NOT NULL,
  -- Who asked: 'schedule', or the manual command's user@host (pid).
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  duration_sec double precision,
  -- Bytes written to the archive by every step together.
  bytes_written bigint NOT NULL DEFAULT 0,
  -- One line per failing step (or the reason the run could not start): NAS missing, disk full…
  error text,
  -- host:pid of the process that ran it.
  runner text
);
CREATE INDEX archive_runs_requested_at_idx ON app.archive_runs (requested_at DESC, id DESC);
CREATE UNIQUE INDEX archive_runs_one_running ON app.archive_runs ((true)) WHERE status = 'running';

CREATE TABLE app.archive_run_steps (
  run_id bigint NOT NULL REFERENCES app.archive_runs (id) ON DELETE CASCADE,
  step text NOT NULL CHECK (step IN ('postgres', 'recordings', 'clickhouse', 'retention')),
  seq smallint NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
  started_at timestamptz,
  finished_at timestamptz,
  duration_sec double precision,
  -- Bytes this step wrote to the archive, and the files it wrote (or deleted, for retention).
  bytes bigint NOT NULL DEFAULT 0,
  files integer NOT NULL DEFAULT 0,
  -- The live progress line while running ("120/450 files checked, 37 copied, 1.2 GB").
  progress text,
  -- Step-specific figures: dump entries, files copied/unchanged/deferred, rows per table and day…
  detail jsonb NOT NULL DEFAULT '{}',
  error text,
  PRIMARY KEY (run_id, step)
);
