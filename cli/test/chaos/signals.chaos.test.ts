import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobEnv, jobEnv, processesOf, shellStatus, startJob } from './support/main-job.ts';

/**
 * SIGINT and SIGTERM, to node and to npm (README.md: the job runs until Ctrl-C): intake stops, the
 * cycle in flight commits, pools close, the embedded PostgreSQL stops, one line is printed, the exit
 * status is 130 / 143 with no stack, and no process of ours is left — looked up in /proc.
 */

const envs: JobEnv[] = [];
afterAll(() => {
  for (const env of envs) rmSync(env.dataDir, { recursive: true, force: true });
});

const STACK = /^\s+at .+[(:]\d+/m;

const cases: { name: string; npm: boolean; signal: NodeJS.Signals; group: boolean }[] = [
  { name: 'Ctrl-C (SIGINT to the process group) of node', npm: false, signal: 'SIGINT', group: true },
  { name: 'SIGTERM to node', npm: false, signal: 'SIGTERM', group: false },
  { name: "SIGTERM to npm's pid", npm: true, signal: 'SIGTERM', group: false },
];

describe('signals stop the main job cleanly', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const env = await jobEnv();
      envs.push(env);
      const job = startJob(env, ['--no-replay'], c.npm);
      await job.waitFor(/archive: /, 240_000);
      expect(processesOf(env.dataDir).some((p) => p.includes('postgres -D'))).toBe(true);
      const asked = Date.now();
      const pid = job.child.pid!;
      process.kill(c.group ? -pid : pid, c.signal);
      const exit = await job.exited;
      const recovered = Date.now() - asked;
      // Give a just-exited postmaster's children a moment to leave /proc.
      await new Promise((r) => setTimeout(r, 300));
      const left = processesOf(env.dataDir, pid);
      const output = job.output();
      console.log(
        `chaos: ${c.name}: exit ${shellStatus(exit)} after ${recovered} ms; ${left.length} processes left`,
      );
      expect(shellStatus(exit)).toBe(c.signal === 'SIGINT' ? 130 : 143);
      expect(left).toEqual([]);
      expect(output).not.toMatch(STACK);
      expect(output).not.toMatch(/Unhandled|ERR_UNHANDLED|57P01/);
      const stopped = output.split('\n').filter((l) => l.startsWith('callcenter: stopped'));
      expect(stopped).toEqual([`callcenter: stopped (${c.signal}): 0 calls (0 facts in ClickHouse)`]);
    });
  }
});
