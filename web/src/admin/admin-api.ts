import type {
  UserResponse as AdminUser,
  CreateUserRequest as CreateUserInput,
  DictionaryCreateRequest,
  DictionaryUpdateRequest,
  QualityReportResponse as QualityReport,
  QueueUpdateRequest,
  RederiveResultResponse as RederiveResult,
  UpdateUserRequest as UpdateUserInput,
  UserListResponse,
} from '@callcenter/api/types';
import { apiJson } from '../api/http.ts';
import type { DictionaryEntry, DictionaryKind } from '../ui/dictionaries.ts';
import type { QueueSettings } from '../ui/queue-time-zones.ts';

/**
 * The admin pages' calls (api/src/routes/{users,dictionaries,queues,quality,archive}); admin-only
 * routes, so other roles get 403 from the API whatever the UI shows.
 */

/** The three roles (docs/roles.md), in the order the user form offers them. */
export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];
/** A user's role. */
export type Role = AdminUser['role'];

/** One user as the admin pages show them (`GET /users`). */
export type { UserResponse as AdminUser } from '@callcenter/api/types';

/** `GET /users`: every user (admins only). */
export const listUsers = (signal?: AbortSignal) =>
  apiJson<UserListResponse>('/users', { signal }).then((r) => r.items);
/** `POST /users`: 409 when the login is taken, 400 with field errors when the body is refused. */
export const createUser = (body: CreateUserInput) => apiJson<AdminUser>('/users', { method: 'POST', body });
/** `PATCH /users/{id}`: changes the given fields. */
export const updateUser = (id: number, body: UpdateUserInput) =>
  apiJson<AdminUser>(`/users/${id}`, { method: 'PATCH', body });

/** A dictionary entry's create or change body (`categoryId` for subcategories only). */
export type DictionaryInput = DictionaryCreateRequest | DictionaryUpdateRequest;

/** `POST /dictionaries/{kind}`: a new entry (409 on a name already used by a live entry). */
export const createEntry = (kind: DictionaryKind, body: DictionaryInput) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}`, { method: 'POST', body });
/** `PATCH /dictionaries/{kind}/{id}`: renames, reorders or moves an entry. */
export const updateEntry = (kind: DictionaryKind, id: number, body: DictionaryInput) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}/${id}`, { method: 'PATCH', body });
/**
 * `DELETE /dictionaries/{kind}/{id}`: soft-deletes an entry (409 for a category with live
 * subcategories).
 */
export const deleteEntry = (kind: DictionaryKind, id: number) =>
  apiJson<unknown>(`/dictionaries/${kind}/${id}`, { method: 'DELETE' });
/** `POST /dictionaries/{kind}/{id}/restore`: makes a soft-deleted entry live again. */
export const restoreEntry = (kind: DictionaryKind, id: number) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}/${id}/restore`, { method: 'POST' });

/** `PATCH /queues/{id}` body: the settings to change. */
export type QueueInput = QueueUpdateRequest;
/**
 * `PATCH /queues/{id}`: changes a queue's display name, IANA time zone or service-level threshold
 * (seconds).
 */
export const updateQueue = (id: number, body: QueueInput) =>
  apiJson<QueueSettings>(`/queues/${id}`, { method: 'PATCH', body });

/** `GET /quality`: the data-quality report. */
export const fetchQuality = (signal?: AbortSignal) => apiJson<QualityReport>('/quality', { signal });
/** `POST /quality/rederive` with no ids: re-derives every call of an older reconciler version. */
export const rederive = () => apiJson<RederiveResult>('/quality/rederive', { method: 'POST', body: {} });
