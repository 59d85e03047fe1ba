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
  /** True once the connection broke (PostgreSQL restarted or went away): the lock is gone. */
  readonly lost: boolean;
}

/**
 * Takes the lock without waiting; null when another session holds it. The connection holding it
 * handles its errors (a PostgreSQL restart ends it with 57P01): the lock is then `lost`, `onLost`
 * is called once, and the process goes on — it never dies of an unhandled 'error' event.
 */
export async function tryLock(
  pool: pg.Pool,
  name: ArchiveLockName,
  onLost: (error: Error) => void = () => {},
): Promise<HeldLock | null> {
  const client = await pool.connect();
  let lost = false;
  let released = false;
  const lose = (error: Error) => {
    if (lost) return;
    lost = true;
    // Hand the broken connection back at once (destroyed), so the pool can close.
    if (!released) {
      released = true;
      client.release(error);
    }
    onLost(error);
  };
  client.on('error', lose);
  try {
    const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
      KEYS[name],
    ]);
    if (!result.rows[0]?.ok) {
      client.removeListener('error', lose);
      if (!released) client.release();
      released = true;
      return null;
    }
  } catch (error) {
    client.removeListener('error', lose);
    if (!released) client.release(true);
    released = true;
    throw error;
  }
  return {
    get lost() {
      return lost;
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [KEYS[name]]);
        client.removeListener('error', lose);
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
