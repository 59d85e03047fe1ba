import {
  hashPassword,
  MAX_PASSWORD_BYTES,
  passwordTooLong,
  ROLES,
  type Role,
  verifyPassword,
} from '@callcenter/api/user-admin';
import { runCommand, UsageError } from '@callcenter/platform/errors';
import { Command } from 'commander';

/**
 * `callcenter user add --login L --password P --role operator|supervisor|admin [--endpoint 101]
 * [--queues a,b] [--server-id pbx1] [--name "…"] [--must-change-password]`: creates the user, or
 * updates the one with that login (ignoring case). A password typed at the console is the
 * administrator's own decision (the first admin, scripted accounts): the user keeps it unless
 * `--must-change-password` asks them to choose their own at the first sign-in (docs/roles.md#sign-in);
 * every run writes that choice, so a console reset of a demo user's password also clears theirs. The flags describe the whole user: an update replaces role, endpoint,
 * queues, server and password (the name only when --name is given) and reactivates the user. Sessions survive an update (the
 * next refresh picks up the new role and queues) unless the password changed, which signs the user
 * out everywhere. Prints one line; warnings go to stderr.
 */
export interface UserAddOptions {
  login: string;
  password: string;
  role: string;
  endpoint?: string;
  queues?: string;
  serverId?: string;
  name?: string;
  mustChangePassword?: boolean;
}

const LOGIN = /^[A-Za-z0-9._@-]{1,64}$/;
const ENDPOINT = /^[^\s/,]{1,64}$/;
const QUEUE = /^[^\s,]{1,128}$/;

/** The `user` command group (only `add` for now). */
export function userCommand(): Command {
  // exitOverride: commander's own usage errors reach bin's main (exit 2) instead of exiting here.
  const user = new Command('user').description('manage the people who sign in to the API').exitOverride();
  user
    .command('add')
    .description('create a user, or update the one with this login')
    .requiredOption('--login <login>', 'sign-in name: letters, digits, . _ @ - (matched ignoring case)')
    .requiredOption('--password <password>', `password, at most ${MAX_PASSWORD_BYTES} bytes`)
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--endpoint <endpoint>', "an operator's phone endpoint on the server, e.g. 101")
    .option('--queues <names>', 'comma-separated queues a supervisor sees, e.g. sales,support')
    .option('--server-id <id>', 'Asterisk server of the endpoint and queues (default: the first configured)')
    .option('--name <display name>', 'name shown in the interface')
    .option(
      '--must-change-password',
      'the user chooses their own password at the first sign-in (accounts set up for other people)',
    )
    .addHelpText(
      'after',
      `
Running it again for the same login replaces the user's settings (the name only with --name);
a changed password signs the user out everywhere. The password is visible to other local users
in the process list while the command runs: have the user change it if that matters.

Examples:
  npx callcenter user add --login admin --password 's3cret-pass' --role admin
  npx callcenter user add --login op101 --password 'pass-101' --role operator --endpoint 101
  npx callcenter user add --login op102 --password 'temp-pass-102' --role operator --endpoint 102 --must-change-password
  npx callcenter user add --login sup --password 'pass-sup' --role supervisor --queues sales,support --name "Ann Lee"`,
    )
    .action(async (opts: UserAddOptions) => runCommand(() => addUser(opts)));
  return user;
}

const warn = (line: string) => console.error(`callcenter: warning: ${line}`);

/** Validates the flags (UsageError, exit 2) and writes the user; prints the one-line result. */
async function addUser(opts: UserAddOptions): Promise<void> {
  const login = opts.login.trim();
  if (!LOGIN.test(login)) {
    throw new UsageError(`--login "${opts.login}" must be 1-64 letters, digits, . _ @ -`);
  }
  if (!(ROLES as readonly string[]).includes(opts.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${opts.role}"`);
  }
  const role = opts.role as Role;
  if (opts.password.length === 0) throw new UsageError('--password is empty');
  if (passwordTooLong(opts.password)) {
    throw new UsageError(`--password is longer than ${MAX_PASSWORD_BYTES} bytes (bcrypt reads no more)`);
  }
  if (opts.password.length < 8) warn(`the password of ${login} is shorter than 8 characters`);
  const endpoint = opts.endpoint?.trim() || null;
  if (endpoint !== null && !ENDPOINT.test(endpoint)) {
    throw new UsageError(`--endpoint "${opts.endpoint}" must be 1-64 characters without spaces, / or ,`);
  }
  const queues = [
    ...new Set(
      (opts.queues ?? '')
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean),
    ),
  ];
  const badQueue = queues.find((q) => !QUEUE.test(q));
  if (badQueue !== undefined)
    throw new UsageError(`queue "${badQueue}" must be 1-128 characters without spaces`);
  if (queues.length > 0 && role !== 'supervisor') {
    throw new UsageError(
      `--queues applies to supervisors only (${role === 'admin' ? 'an admin sees every queue' : 'an operator sees their own calls'})`,
    );
  }
  if (role === 'operator' && endpoint === null) {
    warn(`operator ${login} has no --endpoint: they will see no calls until one is set`);
  }
  if (role === 'supervisor' && queues.length === 0) {
    warn(`supervisor ${login} has no --queues: they will see no calls until some are set`);
  }

  // Configuration and the database modules load only when a user is written (fast CLI start-up).
  const { loadConfig } = await import('@callcenter/platform/config');
  const { findUserByLogin, revokeAllRefreshTokens, upsertUser } = await import('@callcenter/api/user-admin');
  const config = loadConfig();
  const server = opts.serverId ? config.servers.find((s) => s.id === opts.serverId) : config.servers[0];
  if (!server) {
    throw new UsageError(
      `unknown --server-id "${opts.serverId}"; configured: ${config.servers.map((s) => s.id).join(', ')}`,
    );
  }
  const passwordHash = await hashPassword(opts.password);

  const { openPostgresStore } = await import('@callcenter/platform/stores');
  const store = await openPostgresStore(config);
  try {
    const db = store.postgres.db;
    const known =
      queues.length === 0
        ? []
        : await db
            .selectFrom('app.queues')
            .select('name')
            .where('server_id', '=', server.id)
            .where('name', 'in', queues)
            .execute();
    const unknown = queues.filter((q) => !known.some((k) => k.name === q));
    if (unknown.length > 0) {
      warn(`no calls seen yet in queue(s) ${unknown.join(', ')} on ${server.id}; check the spelling`);
    }
    const before = await findUserByLogin(db, login);
    const passwordChanged = before !== null && !(await verifyPassword(opts.password, before.passwordHash));
    const { id, created } = await upsertUser(db, {
      login,
      passwordHash,
      role,
      displayName: opts.name?.trim() ?? before?.displayName ?? '',
      serverId: server.id,
      endpoint,
      queues,
      mustChangePassword: opts.mustChangePassword === true,
    });
    const signedOut = passwordChanged ? await revokeAllRefreshTokens(db, id) : 0;
    const scope =
      role === 'operator'
        ? `endpoint ${endpoint ?? '(none)'}`
        : role === 'supervisor'
          ? `queues ${queues.join(',') || '(none)'}`
          : 'all calls';
    console.log(
      `${created ? 'created' : 'updated'} user ${login} (#${id}): ${role} on ${server.id}, ${scope}` +
        (signedOut > 0 ? `; password changed, ${signedOut} session(s) signed out` : '') +
        (opts.mustChangePassword ? '; a new password is chosen at the first sign-in' : ''),
    );
  } finally {
    await store.close();
  }
}
