import { CallEnd, callColumns, INBOUND } from './call-columns.ts';
import { dictColumn, type FactFrame } from './fact-frame.ts';
import { figures, type IntervalFigures, inboundBuckets } from './interval-reports.ts';
import type { QueueReportOptions } from './queue-statistics.ts';
import { compareText, share } from './slice-rows.ts';

/**
 * How the customers came in and came back (docs/metrics.md "Calls by DID", "Repeat callers and
 * FCR"; SQL reference sql/ANALYSTS.md "Calls by DID", "Repeat callers and FCR").
 */

/** One DID's inbound figures (the interval report's, same definitions) plus the ASA. */
export interface DidRow extends IntervalFigures {
  /** The number the caller dialled (call_facts.did); '' when the call has none. */
  did: string;
  /** Mean queue wait of the answered calls that queued, seconds; null without one. */
  asa: number | null;
  /**
   * Inbound calls that ended in the IVR, before any queue or operator (`ended_at_stage` `ivr`,
   * docs/reconciliation.md#ended-at-stage): counted in `abandoned`, shown apart from queue abandons.
   */
  endedInIvr: number;
  /** Inbound calls the dialplan refused (`ended_at_stage` `refused`: Busy, Congestion, a hang-up by the dialplan). */
  refused: number;
  /** The same calls per IVR menu choice (`call_facts.ivr_choice`), by choice ('' — none — last). */
  choices: DidChoiceRow[];
}

/**
 * One DID × IVR choice (`call_facts.ivr_choice`, docs/reconciliation.md#ivr-choice: the caller's
 * menu choice(s) `>`-joined, `3`, `2>1`, `t` timeout, `i` invalid; '' none — no menu, or the caller
 * left it without choosing): the DID row's counts, split by the branch the calls took.
 */
export interface DidChoiceRow {
  did: string;
  /** '' for the calls with no choice. */
  ivrChoice: string;
  offered: number;
  answered: number;
  abandoned: number;
  missed: number;
}

/**
 * Inbound calls of `rows` per DID (`call_facts.did`, the number the caller dialled, filled by the
 * reconciler from the caller channel's first dialplan extension, CEL `exten`, else its `dnid`):
 * offered, answered, abandoned, missed, short abandons, the queue calls' service level (each queue
 * its own T) and ASA = mean queue wait of answered calls that entered a queue; and, apart from the
 * queue abandons, the calls that ended in the IVR and those the dialplan refused (`ended_at_stage`);
 * under each DID the same offered/answered/abandoned/missed per IVR menu choice (`ivr_choice`).
 * DIDs with a call only, by number ('' — no DID — last).
 */
export function didReport(calls: FactFrame, rows: Int32Array, options: QueueReportOptions = {}): DidRow[] {
  const c = callColumns(calls);
  const did = dictColumn(calls, 'did');
  const n = did.dictionary.length;
  const sums = inboundBuckets(calls, rows, n, (row) => did.codes[row]!, options);
  const waitSum = new Float64Array(n);
  const waitCount = new Float64Array(n);
  const endedInIvr = new Float64Array(n);
  const refused = new Float64Array(n);
  const stage = dictColumn(calls, 'ended_at_stage');
  const ivrCode = stage.dictionary.indexOf('ivr');
  const refusedCode = stage.dictionary.indexOf('refused');
  // DID × IVR choice: only the pairs that occur get a bucket (DIDs × choices could be large).
  const choice = dictColumn(calls, 'ivr_choice');
  const pairIndex = new Map<number, number>();
  const pairOf = new Int32Array(rows.length);
  const m = choice.dictionary.length;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const key = did.codes[i]! * m + choice.codes[i]!;
    let at = pairIndex.get(key);
    if (at === undefined) {
      at = pairIndex.size;
      pairIndex.set(key, at);
    }
    pairOf[k] = at;
  }
  const pairs = inboundBuckets(calls, rows, pairIndex.size, (_row, k) => pairOf[k]!, options);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (c.directionKind[c.direction[i]!] !== INBOUND) continue;
    const at = stage.codes[i]!;
    if (at === ivrCode) endedInIvr[did.codes[i]!]! += 1;
    else if (at === refusedCode) refused[did.codes[i]!]! += 1;
    if (c.statusEnd[c.status[i]!] !== CallEnd.answered) continue;
    const wait = c.queueWait[i]!;
    if (Number.isNaN(wait)) continue;
    const d = did.codes[i]!;
    waitSum[d]! += wait;
    waitCount[d]! += 1;
  }
  const out: DidRow[] = [];
  did.dictionary.forEach((number, d) => {
    const f = figures(sums, d);
    if (f.offered === 0) return;
    out.push({
      did: number,
      ...f,
      asa: waitCount[d]! > 0 ? waitSum[d]! / waitCount[d]! : null,
      endedInIvr: endedInIvr[d]!,
      refused: refused[d]!,
      choices: choiceRows(pairs, (k) => pairIndex.get(d * m + k), number, choice.dictionary),
    });
  });
  return out.sort((a, b) => (a.did === '' ? 1 : b.did === '' ? -1 : compareText(a.did, b.did)));
}

/** The IVR choices of one DID with a call (`bucketOf`: a choice code's bucket in `pairs`), by choice ('' last). */
function choiceRows(
  pairs: Float64Array,
  bucketOf: (choiceCode: number) => number | undefined,
  did: string,
  choices: readonly string[],
): DidChoiceRow[] {
  const out: DidChoiceRow[] = [];
  choices.forEach((ivrChoice, k) => {
    const bucket = bucketOf(k);
    if (bucket === undefined) return;
    const { offered, answered, abandoned, missed } = figures(pairs, bucket);
    if (offered > 0) out.push({ did, ivrChoice, offered, answered, abandoned, missed });
  });
  return out.sort((a, b) =>
    a.ivrChoice === '' ? 1 : b.ivrChoice === '' ? -1 : compareText(a.ivrChoice, b.ivrChoice),
  );
}

/** Days of the repeat window when the report does not say (docs/metrics.md#repeat-callers-and-fcr). */
export const REPEAT_WINDOW_DAYS_DEFAULT = 7;

/** The window and the number rule of {@link repeatCallers}. */
export interface RepeatOptions {
  /** N: a call within this many days (24-hour spans) after an earlier one is a repeat; default 7. */
  windowDays?: number;
  /** The caller number as one key per customer, or null when it cannot be one (caller-number.ts). */
  normalise: (raw: string) => string | null;
}

/** Repeat-call figures of one queue (or of every queue: `queue` null). */
export interface RepeatRow {
  /** First queue of the calls ('' none); null on the total row. */
  queue: string | null;
  /** Inbound calls of the slice. */
  calls: number;
  /** Of them, calls whose caller number is no customer's (anonymous, an extension): left out below. */
  unidentified: number;
  /** Distinct customers (normalised numbers) among the identified calls. */
  uniqueCallers: number;
  /** Identified calls that came within N days after the same customer's previous inbound call. */
  repeatCalls: number;
  /** Distinct customers with a repeat call here. */
  repeatCallers: number;
  /** repeatCalls / (calls − unidentified); null without identified calls. */
  repeatShare: number | null;
  /** Answered identified calls that were not repeats (first contacts). */
  answeredFirstContacts: number;
  /** Of them, those the same customer did not call again within N days. */
  resolvedFirstContacts: number;
  /** resolvedFirstContacts / answeredFirstContacts; null without answered first contacts. */
  fcr: number | null;
}

/** A customer who called more than once within N days in the slice. */
export interface RepeatCallerRow {
  /** Normalised (E.164) number. */
  caller: string;
  /** The caller numbers as Asterisk stored them (sorted); the journal filter matches one exactly. */
  spellings: string[];
  /** Inbound calls of this customer in the slice, and of them repeats. */
  calls: number;
  repeatCalls: number;
  answered: number;
  /** First and last call of the slice, epoch ms. */
  firstMs: number;
  lastMs: number;
}

/** {@link repeatCallers}' result: per queue, the total, and the customers who came back (most calls first). */
export interface RepeatReport {
  windowDays: number;
  queues: RepeatRow[];
  total: RepeatRow;
  callers: RepeatCallerRow[];
}

const DAY_MS = 86_400_000;

/**
 * Repeat callers and first-contact resolution (docs/metrics.md#repeat-callers-and-fcr). `history`
 * are the rows that count as the customers' history — the report's period, every queue and
 * operator (sliceRows with the period only) — and `rows` the slice the figures are of (a subset).
 * Over the inbound calls of `history` with a normalisable caller number, ordered by start (ties
 * by row): a call is a **repeat** when the same customer's previous call started at most N × 24 h
 * earlier; an answered call that is not a repeat is a **first contact**, **resolved** when the
 * customer's next call is more than N × 24 h later or does not exist in the period. The window
 * is cut at the period's edges: a customer's call just before `from` is not seen (its next call
 * counts as a first contact) nor one just after `to`. Throws a RangeError for N not in 1..90.
 */
export function repeatCallers(
  calls: FactFrame,
  history: Int32Array,
  rows: Int32Array,
  options: RepeatOptions,
): RepeatReport {
  const windowDays = options.windowDays ?? REPEAT_WINDOW_DAYS_DEFAULT;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 90)
    throw new RangeError('the repeat window is 1..90 days');
  const windowMs = windowDays * DAY_MS;
  const c = callColumns(calls);
  const src = dictColumn(calls, 'src_number');
  // One customer key per distinct spelling (-1: unidentified).
  const keys = new Map<string, number>();
  const keyNames: string[] = [];
  const keyOf = Int32Array.from(src.dictionary, (raw) => {
    const e164 = options.normalise(raw);
    if (e164 === null) return -1;
    let k = keys.get(e164);
    if (k === undefined) {
      k = keyNames.length;
      keyNames.push(e164);
      keys.set(e164, k);
    }
    return k;
  });
  // Per row: its customer key when an inbound call, else -1.
  const who = new Int32Array(c.rows);
  for (let i = 0; i < c.rows; i++)
    who[i] = c.directionKind[c.direction[i]!] === INBOUND ? keyOf[src.codes[i]!]! : -1;
  const customer = (i: number) => who[i]!;

  // The identified inbound calls of the history, by customer then start.
  const known = Array.from(history).filter((i) => who[i]! >= 0);
  known.sort((a, b) => who[a]! - who[b]! || c.startedAt[a]! - c.startedAt[b]! || a - b);
  const repeat = new Uint8Array(c.rows);
  const calledAgain = new Uint8Array(c.rows);
  for (let k = 1; k < known.length; k++) {
    const prev = known[k - 1]!;
    const i = known[k]!;
    if (customer(prev) !== customer(i)) continue;
    if (c.startedAt[i]! - c.startedAt[prev]! <= windowMs) {
      repeat[i] = 1;
      calledAgain[prev] = 1;
    }
  }

  const perQueue = new Map<number, Tally>();
  const total = new Tally();
  const byCustomer = new Map<number, RepeatCallerRow & { raw: Set<string> }>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (c.directionKind[c.direction[i]!] !== INBOUND) continue;
    const q = c.queue[i]!;
    let tally = perQueue.get(q);
    if (!tally) {
      tally = new Tally();
      perQueue.set(q, tally);
    }
    const person = customer(i);
    const answered = c.statusEnd[c.status[i]!] === CallEnd.answered;
    for (const t of [tally, total]) t.add(person, repeat[i] === 1, answered, calledAgain[i] === 1);
    if (person < 0) continue;
    const at = c.startedAt[i]!;
    let row = byCustomer.get(person);
    if (!row) {
      row = {
        caller: keyNames[person]!,
        spellings: [],
        raw: new Set(),
        calls: 0,
        repeatCalls: 0,
        answered: 0,
        firstMs: at,
        lastMs: at,
      };
      byCustomer.set(person, row);
    }
    row.raw.add(src.dictionary[src.codes[i]!]!);
    row.calls += 1;
    row.repeatCalls += repeat[i]!;
    if (answered) row.answered += 1;
    row.firstMs = Math.min(row.firstMs, at);
    row.lastMs = Math.max(row.lastMs, at);
  }
  const queues = [...perQueue]
    .map(([q, tally]) => tally.row(c.queueNames[q]!))
    .sort((a, b) => compareText(a.queue ?? '', b.queue ?? ''));
  const callers = [...byCustomer.values()]
    .filter((r) => r.repeatCalls > 0)
    .map(({ raw, ...r }) => ({ ...r, spellings: [...raw].sort(compareText) }))
    .sort((a, b) => b.calls - a.calls || compareText(a.caller, b.caller));
  return { windowDays, queues, total: total.row(null), callers };
}

class Tally {
  calls = 0;
  unidentified = 0;
  repeatCalls = 0;
  answeredFirst = 0;
  resolvedFirst = 0;
  customers = new Set<number>();
  repeaters = new Set<number>();

  add(customer: number, repeat: boolean, answered: boolean, calledAgain: boolean) {
    this.calls += 1;
    if (customer < 0) {
      this.unidentified += 1;
      return;
    }
    this.customers.add(customer);
    if (repeat) {
      this.repeatCalls += 1;
      this.repeaters.add(customer);
    } else if (answered) {
      this.answeredFirst += 1;
      if (!calledAgain) this.resolvedFirst += 1;
    }
  }

  row(queue: string | null): RepeatRow {
    return {
      queue,
      calls: this.calls,
      unidentified: this.unidentified,
      uniqueCallers: this.customers.size,
      repeatCalls: this.repeatCalls,
      repeatCallers: this.repeaters.size,
      repeatShare: share(this.repeatCalls, this.calls - this.unidentified),
      answeredFirstContacts: this.answeredFirst,
      resolvedFirstContacts: this.resolvedFirst,
      fcr: share(this.resolvedFirst, this.answeredFirst),
    };
  }
}
