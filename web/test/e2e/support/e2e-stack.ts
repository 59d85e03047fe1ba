import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The real product for end-to-end tests: `node bin/callcenter.mjs start` (the main job of `npm
 * start`) on the embedded defaults in a fresh temp DATA_DIR, on free PORT and EMBEDDED_PG_PORT. The
 * job migrates, replays the bundled Asterisk captures into asterisk.cel/cdr, collects them into
 * call cards and ClickHouse facts, then serves the API and the web app (web/dist under /app/) —
 * exactly the demo flow. Known users are written with `callcenter user add` beside the running job
 * (it joins the embedded PostgreSQL); a password typed at the console is kept as given, without the
 * forced change at the first sign-in (docs/roles.md#sign-in), so `loginAs` lands in the app. Users
 * an administrator makes in the web app (`POST /users`) do choose their own first
 * (`chooseOwnPassword` in browser.ts).
 *
 * @example
 *   const stack = await startE2eStack();            // ~5 s
 *   await fetch(`${stack.url}/health`);
 *   await stack.stop();                             // Ctrl-C to the job's process group, temp dir removed
 */

/** Repository root (web/test/e2e/support → four levels up). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
/** Where e2e tests put screenshots and other artifacts (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'e2e');

export type Role = 'operator' | 'supervisor' | 'admin';

export interface E2eUser {
  login: string;
  password: string;
  role: Role;
  /** An operator's phone endpoint (101, 102, 103 are the captures' operators). */
  endpoint?: string;
  /** Queues a supervisor sees (the captures have `support` and `sales`). */
  queues?: string[];
  name?: string;
}

/**
 * Users every stack gets. Scope in the captures (README's table, fixtures/asterisk): operator 101
 * answered calls in `support` (e.g. linkedid 1795234908.0); operator 103 answered the `sales` call
 * 1795234985.12; the supervisor sees `support` only, so `sales` calls are outside their scope.
 */
export const E2E_USERS = {
  operator: {
    login: 'e2e-op101',
    password: 'e2e-operator-101',
    role: 'operator',
    endpoint: '101',
    name: 'Ольга Операторова',
  },
  operator103: { login: 'e2e-op103', password: 'e2e-operator-103', role: 'operator', endpoint: '103' },
  supervisor: {
    login: 'e2e-sup',
    password: 'e2e-supervisor-1',
    role: 'supervisor',
    queues: ['support'],
    name: 'Сергей Супервизоров',
  },
  admin: { login: 'e2e-admin', password: 'e2e-admin-pass-1', role: 'admin', name: 'Анна Админова' },
} as const satisfies Record<string, E2eUser>;

export interface E2eStack {
  /** Base URL, e.g. `http://127.0.0.1:40123` (the app is at `${url}/app/`). */
  url: string;
  dataDir: string;
  /** RECORDINGS_DIR of the job: put files here to give replayed calls their recordings. */
  recordingsDir: string;
  /** The environment the job and the CLI commands run with. */
  env: NodeJS.ProcessEnv;
  /** Everything the job printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the job's output matches `pattern` (rejects after `timeoutMs`). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Creates or updates a user with `callcenter user add`. */
  addUser(user: E2eUser): Promise<void>;
  /** Runs `node bin/callcenter.mjs ...args` with the stack's env; resolves with its output. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stops the job (SIGINT to its process group, SIGKILL after 15 s) and removes the temp dir. */
  stop(): Promise<void>;
}

export interface E2eStackOptions {
  /** Users to create (default: every E2E_USERS entry). */
  users?: readonly E2eUser[];
  /** Extra environment for the job (e.g. IDLE_TIMEOUT_SEC). */
  env?: Record<string, string>;
  /** Extra `start` flags, e.g. `['--no-replay']` for a test that replays its own capture live. */
  startArgs?: string[];
  /** How long to wait for "API listening" (default 90 s: two cores shared by several suites). */
  startTimeoutMs?: number;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const CLI = join(REPO_ROOT, 'bin', 'callcenter.mjs');

/** Throws with the command to run when web/dist has not been built (root `npm test` builds it). */
export function assertWebBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run `npm run build -w web` before the e2e tests');
  }
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** `callcenter user add` flags for a user. */
export function userAddArgs(user: E2eUser): string[] {
  const args = ['user', 'add', '--login', user.login, '--password', user.password, '--role', user.role];
  if (user.endpoint) args.push('--endpoint', user.endpoint);
  if (user.queues?.length) args.push('--queues', user.queues.join(','));
  if (user.name) args.push('--name', user.name);
  return args;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });

/**
 * Starts the main job and resolves once the API listens and the users exist. Rejects (after
 * stopping what it started) when the job exits or prints nothing like "API listening" in time.
 */
export async function startE2eStack(options: E2eStackOptions = {}): Promise<E2eStack> {
  assertWebBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'callcenter-e2e-'));
  // The embedded PostgreSQL runs as the `postgres` user when we are root: it must reach DATA_DIR.
  await chmod(dataDir, 0o755);
  const recordingsDir = join(dataDir, 'recordings');
  const [port, pgPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    RECORDINGS_DIR: recordingsDir,
    ...options.env,
  };
  // The embedded defaults are what is tested: no outside servers.
  delete env.DATABASE_URL;
  delete env.CLICKHOUSE_URL;

  // detached: the job gets its own process group, so stop() reaches the embedded PostgreSQL too
  // (as Ctrl-C in a terminal does) and nothing else of ours.
  const child = spawn(process.execPath, [CLI, 'start', ...(options.startArgs ?? [])], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const childExit = exited(child);

  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((done, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the main job printed nothing matching ${pattern} in ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      const check = () => {
        if (pattern.test(output)) {
          clearTimeout(timer);
          waiters.delete(check);
          done();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(
            new Error(
              `the main job exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output}`,
            ),
          );
        }
      };
      waiters.add(check);
      child.once('exit', check);
      check();
    });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const group = child.pid;
    if (group !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-group, 'SIGINT');
      } catch {
        // already gone
      }
      const killTimer = setTimeout(() => {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await childExit;
      clearTimeout(killTimer);
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  };

  try {
    await waitForOutput(/API listening on (http:\/\/\S+)/, options.startTimeoutMs ?? 90_000);
    const url = /API listening on (http:\/\/\S+)/.exec(output)![1]!;
    const cli = (args: string[]) => runCli(args, env);
    const addUser = async (user: E2eUser) => {
      const result = await cli(userAddArgs(user));
      if (result.code !== 0) {
        throw new Error(`user add ${user.login} failed (${result.code}): ${result.stderr || result.stdout}`);
      }
    };
    await Promise.all((options.users ?? Object.values(E2E_USERS)).map(addUser));
    return { url, dataDir, recordingsDir, env, output: () => output, waitForOutput, addUser, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs in through the API (no browser): the access token, for direct API checks in tests. */
export async function apiToken(stack: Pick<E2eStack, 'url'>, user: E2eUser): Promise<string> {
  const response = await fetch(`${stack.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user.login, password: user.password }),
  });
  if (!response.ok) throw new Error(`login ${user.login}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
