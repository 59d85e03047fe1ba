/**
 * The reconciler's public surface: a pure function from CEL (+ CDR) rows to calls. It imports
 * nothing of ours but types and does no I/O (enforced by biome.json's restricted imports).
 */
export { parseChannelName } from './channel-name.ts';
export { groupCallRows } from './group-calls.ts';
export { compareCalls, DEFAULT_IDLE_TIMEOUT_SEC, reconcile } from './reconcile.ts';
export {
  APP_END_NEEDED,
  IGNORED_EVENT_TYPES,
  isRelevantRow,
  MOH_USERDEFTYPE_PREFIX,
} from './relevant-rows.ts';
export type * from './types.ts';
export { CEL_EVENT_TYPES, celEventType } from './types.ts';
export { RECONCILER_VERSION } from './version.ts';
