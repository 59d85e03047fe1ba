import { apiJson } from '../api/http.ts';
import type { DictionaryEntry, DictionaryKind } from '../ui/dictionaries.ts';
import type { QueueSettings } from '../ui/queue-time-zones.ts';

/**
 * The admin pages' calls (api/src/routes/{users,dictionaries,queues,quality,archive}); admin-only
 * routes, so other roles get 403 from the API whatever the UI shows.
 */

export type Role = 'operator' | 'supervisor' | 'admin';
export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];

/** `GET /users` item. */
export interface AdminUser {
  id: number;
  login: string;
  role: Role;
  displayName: string;
  serverId: string;
  endpoint: string | null;
  queues: string[];
  active: boolean;
}

export interface CreateUserInput {
  login: string;
  password: string;
  role: Role;
  endpoint?: string | null;
  queues?: string[];
  displayName?: string;
}

export type UpdateUserInput = Partial<{
  role: Role;
  endpoint: string | null;
  queues: string[];
  displayName: string;
  active: boolean;
  password: string;
}>;

export const listUsers = (signal?: AbortSignal) =>
  apiJson<{ items: AdminUser[] }>('/users', { signal }).then((r) => r.items);
export const createUser = (body: CreateUserInput) => apiJson<AdminUser>('/users', { method: 'POST', body });
export const updateUser = (id: number, body: UpdateUserInput) =>
  apiJson<AdminUser>(`/users/${id}`, { method: 'PATCH', body });

export interface DictionaryInput {
  name?: string;
  sortOrder?: number;
  categoryId?: number;
}

export const createEntry = (kind: DictionaryKind, body: DictionaryInput) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}`, { method: 'POST', body });
export const updateEntry = (kind: DictionaryKind, id: number, body: DictionaryInput) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}/${id}`, { method: 'PATCH', body });
export const deleteEntry = (kind: DictionaryKind, id: number) =>
  apiJson<unknown>(`/dictionaries/${kind}/${id}`, { method: 'DELETE' });
export const restoreEntry = (kind: DictionaryKind, id: number) =>
  apiJson<DictionaryEntry>(`/dictionaries/${kind}/${id}/restore`, { method: 'POST' });

export type QueueInput = Partial<Pick<QueueSettings, 'displayName' | 'timeZone' | 'serviceLevelSec'>>;
export const updateQueue = (id: number, body: QueueInput) =>
  apiJson<QueueSettings>(`/queues/${id}`, { method: 'PATCH', body });

/** `GET /quality` (api/src/routes/quality/quality-report.ts). */
export interface QualityReport {
  quarantine: {
    total: number;
    bySource: { source: string; count: number }[];
    byReason: {
      source: 'cel' | 'cdr' | 'call';
      reason: string;
      count: number;
      newestAt: string;
      examples: {
        id: number;
        serverId: string;
        sourceId: number | null;
        linkedids: string[];
        createdAt: string;
        raw: unknown;
      }[];
    }[];
  };
  idleTimeout: {
    count: number;
    newest: { id: number; serverId: string; linkedid: string; startedAt: string; status: string }[];
  };
  reconciler: {
    current: string;
    versions: { version: string; count: number; current: boolean }[];
    outdated: number;
  };
}

export interface RederiveResult {
  reconcilerVersion: string;
  selected: number;
  unchanged: number;
  updated: number;
  inserted: number;
  merged: number;
  notDerived: number;
  failures: { linkedids: string[]; reason: string }[];
}

export const fetchQuality = (signal?: AbortSignal) => apiJson<QualityReport>('/quality', { signal });
export const rederive = () => apiJson<RederiveResult>('/quality/rederive', { method: 'POST', body: {} });
