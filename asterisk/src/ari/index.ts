/**
 * Asterisk's REST Interface (ARI), the transport of live calls and call control: the event stream
 * (`/ari/events` WebSocket through the `ari-client` package, guarded and reconnecting for good), the REST client (channels, bridges, originate,
 * variables, reloads) and the event and resource shapes (Asterisk's ARI documentation, "Channel",
 * "Bridge", "Event").
 */
export { AriClientStream, type AriClientStreamOptions, probeAri } from './ari-client-stream.ts';
export {
  type AriBridge,
  type AriCallerId,
  type AriChannel,
  type AriDialplan,
  type AriEvent,
  ariTimeToIso,
} from './ari-events.ts';
export {
  type AriConnection,
  AriRequestError,
  AriRestClient,
  type OriginateRequest,
} from './ari-rest-client.ts';
