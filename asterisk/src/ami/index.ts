/**
 * The Asterisk Manager Interface side of the product (README.md, "Operator presence"): a session that stays up
 * (ami-client.ts), queue pauses (queue-pause.ts) and queue membership from AMI's messages
 * (queue-member-events.ts). ARI has no queue-member API, hence AMI for these.
 */
export { AmiClient, type AmiClientOptions, type AmiClientState, type AmiMessage } from './ami-client.ts';
export { AmiActionError, AmiTimeoutError, AmiUnavailableError } from './ami-errors.ts';
export {
  type AgentCallEvent,
  agentCallOf,
  CALLER_EVENTS,
  DEVICE_STATE,
  type QueueCaller,
  type QueueMemberLive,
  queueCallerOf,
  queueMemberLiveOf,
} from './queue-live-events.ts';
export {
  endpointOfInterface,
  MEMBERSHIP_EVENTS,
  type QueueMemberInfo,
  queueMemberOf,
} from './queue-member-events.ts';
export { applyQueuePause, type QueuePauseOutcome, queuePauseAction } from './queue-pause.ts';
