import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql, type Transaction } from 'kysely';
import { findUserById, type UserRecord } from './users-repository.ts';

/**
 * Refresh tokens (app.refresh_tokens): 32 random bytes, base64url (43 characters), given to the
 * browser only; the table keeps their sha256 (hex), so a copy of the database yields no usable
 * token. Every use rotates: the presented token is revoked and a new one issued. A revoked token
 * presented again means a copy is in someone else's hands (reuse detection): every token of that
 * user is revoked and both parties must sign in again. Times come from the database clock.
 */
export const REFRESH_TOKEN_BYTES = 32;

/** sha256 of the token as 64 hex characters: the stored form. */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Where a token was issued from, kept with it for the audit (strings are cut to 200 characters). */
export interface TokenOrigin {
  ip: string | null;
  userAgent: string | null;
}

/**
 * A refresh token just issued: the token for the cookie (only its hash is stored) and when it
 * expires.
 */
export interface IssuedToken {
  /** The token itself: goes into the cookie, never into the database. */
  token: string;
  expiresAt: Date;
}

const cut = (value: string | null) => (value === null ? null : value.slice(0, 200));

/** Stores a new token for `userId`, valid `ttlSec` seconds; returns it. */
export async function issueRefreshToken(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
  ttlSec: number,
  origin: TokenOrigin,
): Promise<IssuedToken> {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  const row = await db
    .insertInto('app.refresh_tokens')
    .values({
      user_id: userId,
      token_hash: hashRefreshToken(token),
      expires_at: sql<Date>`now() + make_interval(secs => ${ttlSec})`,
      ip: cut(origin.ip),
      user_agent: cut(origin.userAgent),
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return { token, expiresAt: row.expires_at };
}

/** What presenting a refresh token led to. */
export type RotateOutcome =
  /** The token was valid and the user active: it is revoked and `next` replaces it. */
  | { status: 'rotated'; user: UserRecord; next: IssuedToken }
  /** No such token (never issued, or cleaned up). */
  | { status: 'unknown' }
  /** Past its expiry (revoked or not): refused, without a reuse alarm. */
  | { status: 'expired'; userId: number }
  /** The user is gone or deactivated; the token is revoked. */
  | { status: 'inactive'; userId: number }
  /** Already revoked: every token of the user has now been revoked (`revoked` of them). */
  | { status: 'reused'; userId: number; revoked: number };

/**
 * Rotates `token` in one transaction (the row is locked, so of two concurrent uses one rotates and
 * the other counts as reuse). Reads the user afresh, so a changed role or queue list reaches the
 * next access token. Never throws for a bad token: the outcome says what happened.
 */
export async function rotateRefreshToken(
  db: Kysely<Database>,
  token: string,
  ttlSec: number,
  origin: TokenOrigin,
): Promise<RotateOutcome> {
  return db.transaction().execute(async (trx): Promise<RotateOutcome> => {
    const row = await trx
      .selectFrom('app.refresh_tokens')
      .select(['id', 'user_id', 'revoked_at', sql<boolean>`expires_at <= now()`.as('expired')])
      .where('token_hash', '=', hashRefreshToken(token))
      .forUpdate()
      .executeTakeFirst();
    if (!row) return { status: 'unknown' };
    // An expired token is worthless to whoever holds it: no reuse alarm for it.
    if (row.revoked_at !== null && !row.expired) {
      const revoked = await revokeAllRefreshTokens(trx, row.user_id);
      return { status: 'reused', userId: row.user_id, revoked };
    }
    if (row.revoked_at === null) {
      await trx
        .updateTable('app.refresh_tokens')
        .set({ revoked_at: sql<Date>`now()` })
        .where('id', '=', row.id)
        .execute();
    }
    if (row.expired) return { status: 'expired', userId: row.user_id };
    const user = await findUserById(trx, row.user_id);
    if (!user?.active) return { status: 'inactive', userId: row.user_id };
    return { status: 'rotated', user, next: await issueRefreshToken(trx, user.id, ttlSec, origin) };
  });
}

/** Revokes one token if it is live; returns its user's id, or null when it was unknown or already revoked. */
export async function revokeRefreshToken(db: Kysely<Database>, token: string): Promise<number | null> {
  const row = await db
    .updateTable('app.refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', '=', hashRefreshToken(token))
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** Revokes every live token of a user (signs them out everywhere); returns how many. */
export async function revokeAllRefreshTokens(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
): Promise<number> {
  const result = await db
    .updateTable('app.refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes a user's tokens that have expired (revoked ones are kept until then, for reuse detection). */
export async function deleteExpiredRefreshTokens(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
): Promise<void> {
  await db
    .deleteFrom('app.refresh_tokens')
    .where('user_id', '=', userId)
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
}
