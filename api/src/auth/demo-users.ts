import { randomBytes } from 'node:crypto';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import type { Role } from './auth-user.ts';
import { BCRYPT_COST, hashPassword } from './password-hash.ts';
import { upsertUser } from './users-repository.ts';

/**
 * Demo users for the embedded defaults (`npm start` without DATABASE_URL): when app.users is
 * empty, an admin, a supervisor of the queues `support` and `sales`, and operators for the phones
 * 101, 102 and 103 of the lab that recorded the bundled captures — each with a random password
 * (12 characters of base64url from 9 random bytes). The passwords are printed once, through `log`;
 * only their bcrypt hashes are stored, and each must choose a new password at the first sign-in
 * (docs/roles.md#sign-in); a later start (users present) creates and prints nothing.
 *
 * Two processes starting on an empty table at the same instant could both create the users (the
 * last one's passwords win); the main job is one process per data directory, so this is left be.
 */

export interface DemoUser {
  login: string;
  role: Role;
  endpoint: string | null;
  queues: string[];
  displayName: string;
}

/**
 * The demo accounts created on a first start (an admin, a supervisor of the bundled queues, and
 * the lab's operators 101-103); their passwords are generated and printed once.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { login: 'admin', role: 'admin', endpoint: null, queues: [], displayName: 'Demo admin' },
  {
    login: 'supervisor',
    role: 'supervisor',
    endpoint: null,
    queues: ['support', 'sales'],
    displayName: 'Demo supervisor (support, sales)',
  },
  ...['101', '102', '103'].map((endpoint) => ({
    login: `operator${endpoint}`,
    role: 'operator' as const,
    endpoint,
    queues: [],
    displayName: `Demo operator ${endpoint}`,
  })),
];

/** Where and how the demo users are created. */
export interface DemoUsersOptions {
  /** Asterisk server of the users (default: the first registered one, by id). */
  serverId?: string;
  /** bcrypt cost (default {@link BCRYPT_COST}; tests use 4). */
  cost?: number;
}

/** A random 12-character password (9 random bytes in base64url). */
export const demoPassword = (): string => randomBytes(9).toString('base64url');

/**
 * Creates the demo users when app.users is empty and prints their logins and passwords; returns
 * the created users with their passwords (empty when there were users already).
 */
export async function ensureDemoUsers(
  db: Kysely<Database>,
  log: (line: string) => void,
  options: DemoUsersOptions = {},
): Promise<(DemoUser & { password: string })[]> {
  const existing = await db.selectFrom('app.users').select(sql<number>`1`.as('one')).limit(1).execute();
  if (existing.length > 0) return [];
  const serverId =
    options.serverId ??
    (await db.selectFrom('app.asterisk_servers').select('id').orderBy('id').limit(1).executeTakeFirst())?.id;
  if (!serverId) {
    log('no Asterisk server registered: demo users not created');
    return [];
  }
  const users = await Promise.all(
    DEMO_USERS.map(async (user) => {
      const password = demoPassword();
      return { ...user, password, passwordHash: await hashPassword(password, options.cost ?? BCRYPT_COST) };
    }),
  );
  for (const user of users) {
    await upsertUser(db, {
      login: user.login,
      passwordHash: user.passwordHash,
      role: user.role,
      displayName: user.displayName,
      serverId,
      endpoint: user.endpoint,
      queues: user.queues,
      // The password is in the job's log: each demo user chooses their own at the first sign-in.
      mustChangePassword: true,
    });
  }
  const width = Math.max(...users.map((u) => u.login.length));
  log(
    `created demo users on ${serverId} (passwords shown only now, stored hashed; change one with \`npx callcenter user add --login … --password … --role …\`):`,
  );
  for (const user of users) {
    const scope =
      user.role === 'operator'
        ? `operator, phone ${user.endpoint}`
        : user.role === 'supervisor'
          ? `supervisor, queues ${user.queues.join(', ')}`
          : 'admin, all calls';
    log(`  login ${user.login.padEnd(width)}  password ${user.password}  (${scope})`);
  }
  return users.map(({ passwordHash: _hash, ...user }) => user);
}
