/**
 * Whether the job's dependencies answer (docs/operations.md, "Health"): PostgreSQL and ClickHouse,
 * each up or down since a moment (UTC). Whoever talks to one reports success or failure; the
 * tracker logs a change of state once, by name (`PostgreSQL is unreachable since … (cause); …`,
 * `PostgreSQL is back after N s`), never once per retry. `GET /health` reads {@link snapshot}.
 */

export type DependencyName = 'postgres' | 'clickhouse';

/** One dependency's state: `since` is when it last changed (ISO 8601, UTC). */
export interface DependencyState {
  ok: boolean;
  since: string;
}

const LABEL: Record<DependencyName, string> = { postgres: 'PostgreSQL', clickhouse: 'ClickHouse' };

/** What the job does while a dependency is down (appended to the log line). */
const WHILE_DOWN: Record<DependencyName, string> = {
  postgres: 'collection, the API and the archive retry with backoff until it answers',
  clickhouse: 'call cards go on; facts wait in the outbox until it answers',
};

export class DependencyHealth {
  readonly #states: Record<DependencyName, { ok: boolean; since: number }>;
  readonly #log: (line: string) => void;
  readonly #now: () => number;

  /** `now`: epoch ms (tests). Both dependencies start as up, since construction. */
  constructor(log: (line: string) => void = () => {}, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
    const at = now();
    this.#states = { postgres: { ok: true, since: at }, clickhouse: { ok: true, since: at } };
  }

  /** `name` answered. Logs `… is back after N s` when it was down. */
  up(name: DependencyName): void {
    const state = this.#states[name];
    if (state.ok) return;
    const now = this.#now();
    this.#log(`${LABEL[name]} is back after ${Math.round((now - state.since) / 1000)} s`);
    this.#states[name] = { ok: true, since: now };
  }

  /** `name` failed with `error`. Logs once, naming the dependency, when it was up. */
  down(name: DependencyName, error: unknown, where = ''): void {
    const state = this.#states[name];
    if (!state.ok) return;
    const now = this.#now();
    this.#states[name] = { ok: false, since: now };
    const cause = error instanceof Error ? error.message || error.name : String(error);
    this.#log(
      `${LABEL[name]}${where ? ` at ${where}` : ''} is unreachable since ${new Date(now).toISOString()} (${cause}); ${WHILE_DOWN[name]}`,
    );
  }

  isUp(name: DependencyName): boolean {
    return this.#states[name].ok;
  }

  /** Both states, for `GET /health`. */
  snapshot(): Record<DependencyName, DependencyState> {
    const out = {} as Record<DependencyName, DependencyState>;
    for (const name of ['postgres', 'clickhouse'] as const) {
      const s = this.#states[name];
      out[name] = { ok: s.ok, since: new Date(s.since).toISOString() };
    }
    return out;
  }
}

/**
 * True for errors that mean "the server is not there" rather than "the query is wrong": refused or
 * reset connections, timeouts, PostgreSQL shutting down or starting (SQLSTATE class 08, 57P01–57P03).
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ECONNABORTED|UND_ERR_SOCKET)$/.test(
      code,
    )
  )
    return true;
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (
    /Connection terminated|connect ECONNREFUSED|socket hang up|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i.test(
      message,
    )
  )
    return true;
  return e.cause !== undefined && e.cause !== error ? isConnectionError(e.cause) : false;
}
