import { runCommand } from '@callcenter/platform/errors';
import { Command } from 'commander';
import type { StartOptions, StartServices } from './start-job.ts';

export type { StartServices } from './start-job.ts';

/**
 * `callcenter start` / `npm start`: the main job (start-job.ts) — migrate, replay the bundled
 * captures (embedded defaults), collect, report, keep collecting. Its modules (databases, chDB) load
 * only when it runs, so other commands (reconcile, called in loops) start fast.
 */
export function startCommand(services?: StartServices): Command {
  return new Command('start')
    .description(
      'the main job: migrate, replay the bundled captures (embedded defaults), collect, report, keep collecting',
    )
    .option(
      '--once',
      'exit after catching up, ending with "collected N calls (M facts in ClickHouse)"',
      false,
    )
    .option('--replay', 'replay the bundled captures even with DATABASE_URL set')
    .option('--no-replay', 'do not replay the bundled captures')
    .option(
      '--demo-live',
      'after start-up, replay the bundled captures again and again with their original timing, moved to now, so screen-pops show (log in as an operator, set yourself available)',
      false,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npm start\n  npm start -- --once\n  npm start -- --demo-live\n  DATABASE_URL=postgres://… CLICKHOUSE_URL=http://… npx callcenter start --no-replay',
    )
    .action(async (opts: StartOptions) =>
      runCommand(async () => {
        const { runStartJob } = await import('./start-job.ts');
        await runStartJob(opts, services);
      }),
    );
}
