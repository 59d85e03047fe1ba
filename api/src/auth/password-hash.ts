import bcrypt from 'bcryptjs';

/**
 * Password hashing with bcrypt (bcryptjs): pure JavaScript, so no native build step, nothing for
 * `npm ci` to compile or to break on another Node or libc, and no install script to allow. Cost
 * 12 (2^12 rounds, ≈0.3 s per hash or check on one core): slow for an attacker holding the table,
 * acceptable for a login. bcryptjs runs its async API in chunks, so a check does not hold the event
 * loop for the whole 0.3 s.
 *
 * bcrypt reads only the first 72 bytes (UTF-8) of a password: {@link hashPassword} refuses longer
 * ones and {@link verifyPassword} rejects them, so two passwords sharing a 72-byte prefix are never
 * confused.
 */
export const BCRYPT_COST = 12;

/** Largest password bcrypt reads in full, in UTF-8 bytes. */
export const MAX_PASSWORD_BYTES = 72;

/**
 * A cost-12 hash of 32 random bytes nobody kept: checked against when a login has no user, so the
 * answer to an unknown login takes as long as to a wrong password (timing reveals no logins).
 */
const DECOY_HASH = '$2b$12$UrVU2OWm.ag1O9T.6dM4Qu9uE9m4sdLlOtfr5h37M7ssB7oFb6APq';

/** True when bcrypt would silently cut `password` (longer than {@link MAX_PASSWORD_BYTES} bytes). */
export const passwordTooLong = (password: string): boolean => bcrypt.truncates(password);

/**
 * Hashes a password: a `$2b$12$…` string (60 characters) with its own random salt.
 * Throws a RangeError for an empty password or one longer than 72 UTF-8 bytes.
 */
export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  if (password.length === 0) throw new RangeError('the password is empty');
  if (passwordTooLong(password)) {
    throw new RangeError(`the password is longer than ${MAX_PASSWORD_BYTES} bytes (bcrypt's limit)`);
  }
  return bcrypt.hash(password, cost);
}

/**
 * Checks `password` against a stored hash; `hash` null means "no such user" and is checked against
 * a decoy so it costs the same. False (never an exception) for a wrong password, a missing user, a
 * password longer than bcrypt reads, or a stored value that is not a bcrypt hash.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  const usable = hash !== null && !passwordTooLong(password);
  try {
    const match = await bcrypt.compare(password, usable ? hash : DECOY_HASH);
    return usable && match;
  } catch {
    return false;
  }
}
