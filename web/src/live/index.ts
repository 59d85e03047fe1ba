export { accessTokenExpiresAt, accessTokenExpiring } from './access-token-expiry.ts';
export {
  LIVE_EVENT_TYPES,
  LiveConnection,
  type LiveListener,
  type LiveMessage,
  type LiveStatus,
} from './live-connection.ts';
export {
  invalidateForLiveEvent,
  LiveQueryInvalidation,
  liveConnection,
  useLiveEvents,
  useLiveQueryInvalidation,
  useLiveStatus,
} from './live-events.tsx';
