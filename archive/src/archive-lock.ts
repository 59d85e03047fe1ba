import type pg from 'pg';

/**
 * Session advisory locks in Postgres, held on a dedicated connection for as long as the holder
 * lives: `run` is held for a whole archive run, so two runs never overlap whichever processes
 * start them (the main job's schedule, a manual command, another host sharing DATABASE_URL);
 * `agent` is held by a main job ready to run archives on request (archive-agent.ts). A process
 * that dies drops its connection and so its lock.
 */

const KEYS = { run: 'callcenter:archive-run', agent: 'callcenter:archive-agent' } as const;
/** `run` (one archive run at a time) or `agent` (the main job that runs requested archives). */
export type ArchiveLockName = keyof typeof KEYS;

/** A held advisory lock; `release()` unlocks it and returns its connection. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Takes the lock without waiting; null when another session holds it. */
export async function tryLock(pool: pg.Pool, name: ArchiveLockName): Promise<HeldLock | null> {
  const client = await pool.connect();
  try {
    const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
      KEYS[name],
    ]);
    if (!result.rows[0]?.ok) {
      client.release();
      return null;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [KEYS[name]]);
        client.release();
      } catch {
        client.release(true); // a broken connection: dropping it drops the lock
      }
    },
  };
}

/** True when some session holds the lock (taken and released at once to find out). */
export async function isLockHeld(pool: pg.Pool, name: ArchiveLockName): Promise<boolean> {
  const lock = await tryLock(pool, name);
  if (!lock) return true;
  await lock.release();
  return false;
}
