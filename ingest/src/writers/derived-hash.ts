import { createHash } from 'node:crypto';
import type { Call } from '../reconcile/types.ts';

/** sha256 of a derived call: equal hashes mean a re-derivation changed nothing worth writing. */
export function derivedHash(call: Call): string {
  return createHash('sha256').update(JSON.stringify(call)).digest('hex');
}
