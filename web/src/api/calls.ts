import type {
  CallCardResponse as CallCard,
  CallPageResponse as CallPage,
  CallSummaryResponse as CallSummary,
} from '@callcenter/api/types';
import { apiJson } from './http.ts';

/**
 * The web's view of the call API, shared by the journal and the operator workspace: the API's own
 * shapes (`@callcenter/api/types`, inferred from api/src/routes/calls/call-schemas.ts — seconds,
 * UTC ISO times, the card fields) and the two reads `GET /calls` and `GET /calls/{id}`.
 */

export type {
  CallAttemptResponse as CallAttempt,
  CallCardResponse as CallCard,
  CallHoldResponse as CallHold,
  CallPageResponse as CallPage,
  CallSegmentResponse as CallSegment,
  CallSummaryResponse as CallSummary,
  CallTagResponse as TagRef,
  CallTransferResponse as CallTransfer,
} from '@callcenter/api/types';

/** A call's outcome, as the API reports it (`ringing` while a provisional live card). */
export type CallStatus = CallSummary['status'];
/** Who called whom: from outside in, from an operator out, or between two operators. */
export type CallDirection = CallSummary['direction'];

/** The statuses in the order the journal's filter offers them. */
export const CALL_STATUSES: readonly CallStatus[] = [
  'answered',
  'abandoned',
  'missed',
  'no_answer',
  'busy',
  'failed',
  'ringing',
];
/** The directions in the order the journal's filter offers them. */
export const CALL_DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound', 'internal'];
/** Where a call had got to when it ended (docs/reconciliation.md#ended-at-stage). */
export type CallEndedAtStage = NonNullable<CallSummary['ended_at_stage']>;
/** The stages in the order the journal's filter offers them (the way a call goes). */
export const CALL_ENDED_AT_STAGES: readonly CallEndedAtStage[] = [
  'ivr',
  'refused',
  'queue',
  'ringing',
  'voicemail',
  'talk',
  'service',
];

/** `GET /calls?ivr_choice=-`: the calls with no IVR choice (api/src/routes/calls/call-schemas.ts). */
export const IVR_NO_CHOICE = '-';

/** `GET /calls?…` (filters, `sort`, keyset `cursor`, `limit`). */
export function fetchCallPage(query: URLSearchParams, signal?: AbortSignal): Promise<CallPage> {
  return apiJson<CallPage>(`/calls?${query}`, { signal });
}

/** `GET /calls/{id}`. */
export function fetchCall(id: number, signal?: AbortSignal): Promise<CallCard> {
  return apiJson<CallCard>(`/calls/${id}`, { signal });
}

/** One CEL row of an explanation (`GET /calls/{id}/explain`). */
export interface ExplainCelRow {
  id: number;
  event_type: string;
  event_time: string;
  channel: string;
  uniqueid: string;
  linkedid: string;
  cid_num: string;
  exten: string;
  context: string;
  app_name: string;
  app_data: string;
  peer: string;
  extra: string;
}

/** One CDR row of an explanation. */
export interface ExplainCdrRow {
  id: number;
  start: string | null;
  answer: string | null;
  end: string | null;
  src: string;
  dst: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  disposition: string;
  billsec: number | null;
  uniqueid: string;
  linkedid: string;
}

/** One decision of the reconciler: the rule of docs/reconciliation.md and the `cel.id`s it read. */
export interface ExplainDecision {
  field: string;
  value: unknown;
  rule: string;
  evidence: number[];
}

export interface CallExplanation {
  call: CallCard;
  cel: ExplainCelRow[];
  cdr: ExplainCdrRow[];
  decisions: ExplainDecision[];
}

/** `GET /calls/{id}/explain`: why the call came out as it did (same scope as the card). */
export function fetchCallExplanation(id: number, signal?: AbortSignal): Promise<CallExplanation> {
  return apiJson<CallExplanation>(`/calls/${id}/explain`, { signal });
}
