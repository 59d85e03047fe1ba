import { runCommand, UsageError } from '@callcenter/platform/errors';
import { Command, Option } from 'commander';

/**
 * `callcenter replay [DIR…] [--timing fast|original] [--speed N] [--server-id ID]`: loads real
 * captures into a server's asterisk.cel/asterisk.cdr, where a running collector (`npm start`)
 * picks them up through LISTEN/NOTIFY exactly as from a live Asterisk. Without DIR, every capture
 * in fixtures/asterisk/scenarios.
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'load captured CEL/CDR into asterisk.cel/asterisk.cdr, all at once or with the original timing',
    )
    .argument('[capture...]', 'capture folders holding cel.csv (and cdr.csv); default: every bundled capture')
    .addOption(
      new Option('--timing <mode>', 'fast (one COPY) or original (row by row at the captured pace)')
        .choices(['fast', 'original'])
        .default('fast'),
    )
    .option('--speed <factor>', 'with --timing original: time compression, e.g. 10 = ten times faster', '1')
    .option(
      '--server-id <id>',
      'Asterisk server whose tables receive the rows (default: the first configured)',
    )
    .option('--skip-present', 'skip captures whose first row is already in the table', false)
    .addHelpText(
      'after',
      '\nExample:\n  npx callcenter replay fixtures/asterisk/scenarios/11-hold-resume --timing original --speed 2',
    )
    .action(
      async (
        captures: string[],
        opts: { timing: 'fast' | 'original'; speed: string; serverId?: string; skipPresent: boolean },
      ) =>
        runCommand(async () => {
          const speed = Number(opts.speed);
          if (!Number.isFinite(speed) || speed <= 0)
            throw new UsageError(`--speed must be a positive number, got "${opts.speed}"`);
          // Loaded when the command runs (databases): other commands start without them.
          const { loadConfig, pickServer } = await import('@callcenter/platform/config');
          const { listCaptures, readCapture } = await import('@callcenter/ingest/captures');
          const { replayCapture } = await import('@callcenter/ingest/replay');
          const { openPostgresStore } = await import('@callcenter/platform/stores');
          const config = loadConfig();
          const server = pickServer(config, opts.serverId);
          const dirs = captures.length > 0 ? captures : listCaptures();
          const records = dirs.map((dir) => {
            try {
              return readCapture(dir);
            } catch (error) {
              throw new UsageError(error instanceof Error ? error.message : String(error));
            }
          });
          const stores = await openPostgresStore(config);
          try {
            for (const capture of records) {
              const r = await replayCapture(stores.postgres.pool, server, capture, {
                timing: opts.timing,
                speed,
                skipIfPresent: opts.skipPresent,
              });
              console.log(
                r.skipped
                  ? `${r.capture}: already present, skipped`
                  : `${r.capture}: ${r.cel} CEL rows, ${r.cdr} CDR rows → ${server.schema}`,
              );
            }
          } finally {
            await stores.close();
          }
        }),
    );
}
