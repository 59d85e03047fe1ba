import { runCommand, UsageError } from '@callcenter/platform/errors';
import { Command } from 'commander';

/**
 * `callcenter restore --from DIR --date YYYY-MM-DD` (README.md, "Nightly archive and restore"): one night of the archive
 * into a fresh database and chDB path (archive/restore-archive.ts). The target is DATA_DIR's
 * embedded PostgreSQL and chDB (or `--data-dir`), or DATABASE_URL / CLICKHOUSE_URL; a non-empty
 * target is refused unless --force. Implementations load only when the command runs.
 */
export function restoreCommand(): Command {
  return new Command('restore')
    .description('restore one night of the archive into a fresh database and chDB path')
    .requiredOption('--from <dir>', 'the archive root (ARCHIVE_DIR of the system archived)')
    .requiredOption(
      '--date <YYYY-MM-DD>',
      'the night to restore (its dump: postgres/daily or postgres/monthly)',
    )
    .option('--data-dir <dir>', 'where the restored embedded PostgreSQL and chDB go (default DATA_DIR)')
    .option('--no-recordings', 'do not copy the recordings back into RECORDINGS_DIR')
    .option('--force', 'replace the contents of a non-empty target database / ClickHouse', false)
    .addHelpText(
      'after',
      `
Examples:
  DATA_DIR=/srv/callcenter npx callcenter restore --from /mnt/nas/callcenter --date 2026-11-21
  npx callcenter restore --from /mnt/nas/callcenter --date 2026-11-01 --data-dir /tmp/restored --no-recordings`,
    )
    .action(
      async (opts: { from: string; date: string; dataDir?: string; recordings: boolean; force: boolean }) =>
        runCommand(async () => {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`))) {
            throw new UsageError(`--date must be a date YYYY-MM-DD, got "${opts.date}"`);
          }
          const { resolve, join } = await import('node:path');
          const { loadConfig } = await import('@callcenter/platform/config');
          const { restoreArchive } = await import('@callcenter/archive/restore');
          const config = loadConfig();
          const dataDir = opts.dataDir ? resolve(opts.dataDir) : config.dataDir;
          await restoreArchive({
            from: resolve(opts.from),
            date: opts.date,
            dataDir,
            databaseUrl: config.databaseUrl,
            clickhouseUrl: config.clickhouseUrl,
            recordingsDir: opts.recordings
              ? opts.dataDir && !process.env.RECORDINGS_DIR
                ? join(dataDir, 'recordings')
                : config.recordingsDir
              : null,
            servers: config.servers,
            replace: opts.force,
          });
        }),
    );
}
