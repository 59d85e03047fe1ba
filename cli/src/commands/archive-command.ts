import { runCommand, UsageError } from '@callcenter/platform/errors';
import { Command } from 'commander';

/**
 * `callcenter archive --now [--target DIR]` (README.md, "Nightly archive and restore"): the nightly archive run by hand,
 * with a progress display, exit 1 on any failed step (NAS missing, not writable, disk full — the
 * message says which). `--verify` reads an existing archive back and reports damaged files. The
 * nightly schedule itself runs inside the main job (`npm start`, ARCHIVE_SCHEDULE).
 * Implementations load only when the command runs.
 */
export function archiveCommand(): Command {
  return new Command('archive')
    .description(
      'archive to the NAS now: Postgres dump, recordings, ClickHouse facts as Parquet (all verified)',
    )
    .option('--now', 'run the archive now, showing its progress')
    .option('--target <dir>', 'archive root (default ARCHIVE_DIR, the NAS mount); must already exist')
    .option(
      '--verify',
      'read the archive back: every dump, recording copy and Parquet file against its checksum',
    )
    .addHelpText(
      'after',
      `
Environment: ARCHIVE_DIR, ARCHIVE_SCHEDULE (default "30 2 * * *"), ARCHIVE_TZ (default the first
server's zone), ARCHIVE_KEEP_DAILY (7), ARCHIVE_KEEP_MONTHLY (12), RECORDINGS_DIR, RECORDINGS_KEEP_DAYS (0 = never delete).
Beside a running \`npm start\` on chDB, the main job performs the run and this command follows it.

Examples:
  npx callcenter archive --now
  npx callcenter archive --now --target /mnt/nas/callcenter
  npx callcenter archive --verify --target /mnt/nas/callcenter`,
    )
    .action(async (opts: { now?: boolean; target?: string; verify?: boolean }) =>
      runCommand(async () => {
        if (!opts.now && !opts.verify) {
          throw new UsageError('say --now to archive now, or --verify to check an archive (see --help)');
        }
        const { archiveNow, verifyArchiveNow } = await import('@callcenter/archive/archive-now');
        if (opts.now) await archiveNow({ target: opts.target });
        if (opts.verify) await verifyArchiveNow({ target: opts.target });
      }),
    );
}
