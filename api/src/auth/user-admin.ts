/**
 * What managing people from outside the HTTP API needs (`callcenter user add`, cli/): the roles,
 * bcrypt password hashing with its 72-byte limit, the users repository's upsert and look-up, the
 * revocation of a user's refresh tokens (sessions end when a password changes), and the name of
 * the refresh-token cookie.
 */

export { REFRESH_COOKIE } from '../routes/auth/auth-schemas.ts';
export { ROLES, type Role } from './auth-user.ts';
export { hashPassword, MAX_PASSWORD_BYTES, passwordTooLong, verifyPassword } from './password-hash.ts';
export { revokeAllRefreshTokens } from './refresh-tokens.ts';
export { findUserByLogin, upsertUser } from './users-repository.ts';
