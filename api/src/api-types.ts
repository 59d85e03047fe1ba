import type { z } from '@hono/zod-openapi';
import type { ArchiveRun, ArchiveRunList, ArchiveStep } from './routes/archive/archive-schemas.ts';
import type { Session, SessionUser } from './routes/auth/auth-schemas.ts';
import type { CallbackItem, CallbackList } from './routes/callbacks/callback-schemas.ts';
import type { WorklistItemSchema, WorklistSchema } from './routes/callbacks/worklist-schemas.ts';
import type {
  CallAttempt,
  CallCard,
  CallHold,
  CallListResponse,
  CallSegment,
  CallSummary,
  CallTransfer,
  TagRef,
  UpdateCardBody,
} from './routes/calls/call-schemas.ts';
import type { ControlResult } from './routes/control/control-schemas.ts';
import type { DictionaryItemSchema, DictionaryListSchema } from './routes/dictionaries/dictionary-schemas.ts';
import type { CreateInput, UpdateInput } from './routes/dictionaries/dictionary-store.ts';
import type { WallboardSchema } from './routes/live/wallboard-routes.ts';
import type {
  PresenceChangeBody,
  PresenceChangeResultSchema,
  PresenceItemSchema,
  PresenceListSchema,
  PresenceStateSchema,
  ReasonListSchema,
} from './routes/presence/presence-schemas.ts';
import type { QualityReportSchema, RederiveResultSchema } from './routes/quality/quality-schemas.ts';
import type { QueueItemSchema, QueueUpdateSchema } from './routes/queues/queue-schemas.ts';
import type { MeStats } from './routes/reports/report-schemas.ts';
import type { OperatorSessionDaySchema, OperatorSessionsSchema } from './routes/sessions/session-schemas.ts';
import type {
  CreateUserBody,
  UpdateUserBody,
  UserListSchema,
  UserSchema,
} from './routes/users/user-schemas.ts';

/**
 * The API's request and response shapes for its clients (`@callcenter/api/types`), inferred from
 * the same zod schemas that validate requests and make /openapi.json — so a client cannot drift
 * from the API. Types only: the web app imports this entry with `import type`, and
 * `.dependency-cruiser.cjs` refuses any other import of the API from web/src. Responses are
 * `z.output` (what the API sends), request bodies `z.input` (what a client sends). Times are UTC
 * ISO 8601 strings, durations seconds.
 */

/** The signed-in user (`POST /auth/login`, `POST /auth/refresh`). */
export type SessionUserResponse = z.output<typeof SessionUser>;
/** A session: the access token (kept in memory) and its user; the refresh token is a cookie. */
export type SessionResponse = z.output<typeof Session>;

/** One call of a list (`GET /calls`): derived facts and the card with dictionary names. */
export type CallSummaryResponse = z.output<typeof CallSummary>;
/** One call's card (`GET /calls/{id}`, `PUT /calls/{id}`, `POST /calls`) with its children. */
export type CallCardResponse = z.output<typeof CallCard>;
/** One keyset page of `GET /calls`: items, total (counted up to 10 000), next cursor. */
export type CallPageResponse = z.output<typeof CallListResponse>;
/** A tag on a card: `{id, name}`. */
export type CallTagResponse = z.output<typeof TagRef>;
/** One ring of an operator's phone within a call. */
export type CallAttemptResponse = z.output<typeof CallAttempt>;
/** One transfer (blind or attended) within a call. */
export type CallTransferResponse = z.output<typeof CallTransfer>;
/** One stretch of talk with one party (talk and hold in seconds). */
export type CallSegmentResponse = z.output<typeof CallSegment>;
/** One hold within a call. */
export type CallHoldResponse = z.output<typeof CallHold>;
/** `PUT /calls/{id}` body: absent fields stay as they are; `version` is the card version read. */
export type CardUpdateRequest = z.input<typeof UpdateCardBody>;

/** One dictionary entry (`/dictionaries/{kind}`); `categoryId` on subcategories only. */
export type DictionaryEntryResponse = z.output<typeof DictionaryItemSchema>;
/** `GET /dictionaries/{kind}`. */
export type DictionaryListResponse = z.output<typeof DictionaryListSchema>;
/** `POST /dictionaries/{kind}` body (`categoryId` for subcategories only). */
export type DictionaryCreateRequest = CreateInput;
/** `PATCH /dictionaries/{kind}/{id}` body: at least one field. */
export type DictionaryUpdateRequest = UpdateInput;

/** One user as admins see it (`GET /users`, `POST /users`, `PATCH /users/{id}`). */
export type UserResponse = z.output<typeof UserSchema>;
/** `GET /users`. */
export type UserListResponse = z.output<typeof UserListSchema>;
/** `POST /users` body. */
export type CreateUserRequest = z.input<typeof CreateUserBody>;
/** `PATCH /users/{id}` body: at least one field. */
export type UpdateUserRequest = z.input<typeof UpdateUserBody>;

/** One queue with its settings (`GET /queues`, `PATCH /queues/{id}`). */
export type QueueResponse = z.output<typeof QueueItemSchema>;
/** `PATCH /queues/{id}` body: at least one setting. */
export type QueueUpdateRequest = z.input<typeof QueueUpdateSchema>;

/** `GET /quality`: quarantine, idle-timeout calls, calls per reconciler version. */
export type QualityReportResponse = z.output<typeof QualityReportSchema>;
/** `POST /quality/rederive`: what the re-derivation did. */
export type RederiveResultResponse = z.output<typeof RederiveResultSchema>;

/** One archive run with its steps (`GET /archive/runs/{id}`). */
export type ArchiveRunResponse = z.output<typeof ArchiveRun>;
/** One step of an archive run. */
export type ArchiveStepResponse = z.output<typeof ArchiveStep>;
/** `GET /archive/runs`. */
export type ArchiveRunListResponse = z.output<typeof ArchiveRunList>;

/** One callback owed (or reached again) in `GET /callbacks`. */
export type CallbackItemResponse = z.output<typeof CallbackItem>;
/** `GET /callbacks`: the items and the owed/done counts. */
export type CallbackListResponse = z.output<typeof CallbackList>;
/** `GET /callbacks/worklist`: abandoned and missed calls of a period with the callback KPI. */
export type MissedWorklistResponse = z.output<typeof WorklistSchema>;
/** One lost call of `GET /callbacks/worklist`. */
export type MissedWorklistItem = z.output<typeof WorklistItemSchema>;
/** `GET /reports/operator-sessions`: per operator and day. */
export type OperatorSessionsResponse = z.output<typeof OperatorSessionsSchema>;
/** One operator's day of `GET /reports/operator-sessions`. */
export type OperatorSessionDay = z.output<typeof OperatorSessionDaySchema>;

/** `GET /me/stats`: the operator's own figures over a period (seconds). */
export type MyStatsResponse = z.output<typeof MeStats>;

/** An operator's presence state. */
export type PresenceState = z.output<typeof PresenceStateSchema>;
/** One operator's presence (`GET /presence`). */
export type PresenceResponse = z.output<typeof PresenceItemSchema>;
/** `GET /presence`. */
export type PresenceListResponse = z.output<typeof PresenceListSchema>;
/** `PUT /me/presence` answer: the new presence and whether Asterisk applied the queue pause. */
export type PresenceChangeResponse = z.output<typeof PresenceChangeResultSchema>;
/** `PUT /me/presence` body. */
export type PresenceChangeRequest = z.input<typeof PresenceChangeBody>;
/** `GET /presence/reasons`. */
export type PauseReasonListResponse = z.output<typeof ReasonListSchema>;

/** `POST /control/…` answer: the channel acted on and the action. */
export type ControlResultResponse = z.output<typeof ControlResult>;

/** `GET /live/wallboard` and each `wallboard` event of `GET /live/wallboard/events`. */
export type WallboardResponse = z.output<typeof WallboardSchema>;
