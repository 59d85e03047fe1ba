import type { SessionUser } from '../api/http.ts';

/**
 * Who sees which section (docs/roles.md#web-app): operators work calls (workspace) and see their own
 * journal and sessions; supervisors see the journal, reports, the live wallboard, missed calls and
 * operator sessions of their queues; admins see everything plus
 * administration. The API enforces the same on every route; this only shapes the navigation.
 */

export type Role = SessionUser['role'];
/** One of the app's sections. */
export type SectionId = 'operator' | 'journal' | 'reports' | 'live' | 'missed' | 'sessions' | 'admin';

/** A section of the app: its path, label and the roles that see it. */
export interface Section {
  id: SectionId;
  /** Path under the app's base (`/app`). */
  path: string;
  /** i18n key (namespace common) of the label. */
  labelKey: string;
  roles: readonly Role[];
}

/** The sections in navigation order, with the roles of docs/roles.md#web-app. */
export const SECTIONS: readonly Section[] = [
  { id: 'operator', path: '/operator', labelKey: 'nav.operator', roles: ['operator', 'admin'] },
  { id: 'journal', path: '/journal', labelKey: 'nav.journal', roles: ['operator', 'supervisor', 'admin'] },
  { id: 'reports', path: '/reports', labelKey: 'nav.reports', roles: ['supervisor', 'admin'] },
  { id: 'live', path: '/live', labelKey: 'nav.live', roles: ['supervisor', 'admin'] },
  { id: 'missed', path: '/missed', labelKey: 'nav.missed', roles: ['supervisor', 'admin'] },
  { id: 'sessions', path: '/sessions', labelKey: 'nav.sessions', roles: ['operator', 'supervisor', 'admin'] },
  { id: 'admin', path: '/admin', labelKey: 'nav.admin', roles: ['admin'] },
];

/** The sections a role may open, in navigation order. */
export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((section) => section.roles.includes(role));
}

/** May `role` open section `id`? */
export function canOpen(role: Role, id: SectionId): boolean {
  return SECTIONS.some((section) => section.id === id && section.roles.includes(role));
}

/** Where a role lands after signing in: the operator's workspace, the others' journal. */
export function homePath(role: Role): string {
  return role === 'operator' ? '/operator' : '/journal';
}
