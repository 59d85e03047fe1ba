import { createHash, randomBytes } from 'node:crypto';

/**
 * A new SIP secret: 18 random bytes (144 bits) as base64url, 24 characters that need no escaping
 * in SIP, JSON or Asterisk configuration.
 */
export function newSipSecret(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The digest credential Asterisk stores instead of the secret (pjsip `md5_cred`, RFC 2617 HA1):
 * md5 of `username:realm:secret`, lower-case hex. The realm must be the one Asterisk challenges
 * with (`realm` of the auth section), which SIP.js then uses to answer.
 */
export function digestHa1(username: string, realm: string, secret: string): string {
  return createHash('md5').update(`${username}:${realm}:${secret}`).digest('hex');
}
