import type { CelRow } from './types.ts';

/**
 * The `extra` column of a CEL row: JSON written by cel_pgsql since Asterisk 12 (HANGUP
 * `{hangupcause, hangupsource, dialstatus}`, BRIDGE_* `{bridge_id, bridge_technology}`, transfers …)
 * or empty. Asterisk 11 wrote HANGUP extra as `cause,source,dialstatus`; that is read too. The
 * collector quarantines any other extra (rule `parsable-extra`, docs/reconciliation.md "Quarantine");
 * rows handed in directly that still carry one read it as `{}`.
 */
export function parseCelExtra(row: CelRow): Record<string, unknown> {
  if (!row.extra) return {};
  try {
    const value: unknown = JSON.parse(row.extra);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    if (row.eventType === 'HANGUP') {
      const [hangupcause = '', hangupsource = '', dialstatus = ''] = row.extra.split(',');
      return { hangupcause, hangupsource, dialstatus };
    }
    return {};
  }
}

/** A string field of an extra object, or '' when absent. */
export function extraString(extra: Record<string, unknown>, key: string): string {
  const value = extra[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A numeric field of an extra object (numbers or numeric strings), or null. */
export function extraNumber(extra: Record<string, unknown>, key: string): number | null {
  const value = extra[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}
