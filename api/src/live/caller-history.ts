import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type pg from 'pg';
import { DEFAULT_PHONE_REGION, normalisePhoneNumber } from '../callbacks/phone-number.ts';

/**
 * The screen-pop's caller history: this caller's previous calls on the server, newest first, at
 * most 10, as card summaries (no recordings, no attempts). A deliberate, documented exception to
 * the operator scope (docs/roles.md#operator): the operator being rung must see the patient's previous
 * calls whoever took them — only the card summary fields listed here, only for the number that is
 * calling them right now.
 *
 * Numbers match in any local format (`79161234567`, `89161234567`, `+79161234567`, `9161234567`:
 * libphonenumber-js, as callbacks do); inbound and internal calls by their caller number, outbound
 * calls by the number dialled (indexes calls_src_number_idx and calls_outbound_dst_number_idx).
 */

export interface CallerHistoryItem {
  id: number;
  /** ISO 8601 UTC. */
  startedAt: string;
  direction: string;
  status: string;
  queue: string | null;
  operatorEndpoint: string | null;
  /** Seconds. */
  talkSec: number;
  purpose: string | null;
  category: string | null;
  subcategory: string | null;
  notes: string | null;
  needsCallback: boolean;
  cardCompleted: boolean;
}

/** Earlier calls of the same number a screen-pop shows. */
export const CALLER_HISTORY_LIMIT = 10;

/** The spellings under which Asterisk may have stored `raw` (empty for extensions and garbage). */
export function numberSpellings(raw: string | null): string[] {
  if (!raw) return [];
  const e164 = normalisePhoneNumber(raw);
  if (!e164) return raw.trim().length >= 3 ? [raw.trim()] : [];
  const spellings = new Set<string>([raw.trim(), e164, e164.slice(1)]);
  const parsed = parsePhoneNumberFromString(e164, DEFAULT_PHONE_REGION);
  if (parsed) {
    spellings.add(parsed.nationalNumber);
    // Russia and Kazakhstan dial the national number with a leading 8.
    if (parsed.countryCallingCode === '7') spellings.add(`8${parsed.nationalNumber}`);
  }
  return [...spellings];
}

interface HistoryRow {
  id: string | number;
  started_at: Date;
  direction: string;
  status: string;
  queue: string | null;
  operator_endpoint: string | null;
  talk_sec: number;
  purpose: string | null;
  category: string | null;
  subcategory: string | null;
  notes: string | null;
  needs_callback: boolean;
  card_completed: boolean;
}

const HISTORY_SQL = `
  SELECT c.id, c.started_at, c.direction, c.status, c.queue, c.operator_endpoint, c.talk_sec,
         p.name AS purpose, k.name AS category, s.name AS subcategory, c.notes, c.needs_callback,
         c.card_completed_at IS NOT NULL AS card_completed
  FROM (
    (SELECT id, started_at FROM app.calls
     WHERE src_number = ANY($2::text[]) AND server_id = $1 AND id <> $3 AND direction <> 'outbound'
     ORDER BY started_at DESC LIMIT ${CALLER_HISTORY_LIMIT})
    UNION ALL
    (SELECT id, started_at FROM app.calls
     WHERE dst_number = ANY($2::text[]) AND direction = 'outbound' AND server_id = $1 AND id <> $3
     ORDER BY started_at DESC LIMIT ${CALLER_HISTORY_LIMIT})
  ) h
  JOIN app.calls c ON c.id = h.id
  LEFT JOIN app.call_purposes p ON p.id = c.purpose_id
  LEFT JOIN app.call_categories k ON k.id = c.category_id
  LEFT JOIN app.call_subcategories s ON s.id = c.subcategory_id
  ORDER BY c.started_at DESC, c.id DESC
  LIMIT ${CALLER_HISTORY_LIMIT}`;

/** Previous calls of `callerNumber` on `serverId`, excluding call `exceptId` (the ringing one). */
export async function callerHistory(
  pool: pg.Pool,
  serverId: string,
  callerNumber: string | null,
  exceptId: number,
): Promise<CallerHistoryItem[]> {
  const spellings = numberSpellings(callerNumber);
  if (spellings.length === 0) return [];
  const { rows } = await pool.query<HistoryRow>(HISTORY_SQL, [serverId, spellings, exceptId]);
  return rows.map((r) => ({
    id: Number(r.id),
    startedAt: r.started_at.toISOString(),
    direction: r.direction,
    status: r.status,
    queue: r.queue,
    operatorEndpoint: r.operator_endpoint,
    talkSec: r.talk_sec,
    purpose: r.purpose,
    category: r.category,
    subcategory: r.subcategory,
    notes: r.notes,
    needsCallback: r.needs_callback,
    cardCompleted: r.card_completed,
  }));
}
