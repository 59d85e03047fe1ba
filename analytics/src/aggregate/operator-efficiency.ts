import type { FactColumnName } from '@callcenter/sql/schema';
import { callColumns, OUTBOUND, type ReportColumns } from './call-columns.ts';
import { dictColumn, type FactFrame, numberColumn } from './fact-frame.ts';
import { compareText, share } from './slice-rows.ts';

/**
 * Operator efficiency (sql/ANALYSTS.md "Operator efficiency: answered, missed, talk time"), per
 * operator endpoint, inbound calls:
 * - rings answered and rings missed (attempt_facts; missed by operators = `no_answer`, `busy`,
 *   `declined`: a canceled ring is nobody's miss, docs/metrics.md#missed-by-operators);
 * - calls talked on, own talk and hold (segment_facts: a transferred call splits its talk between
 *   operators, call_facts would credit all of it to the last one); average talk = talk / calls
 *   talked on; AHT = (talk + hold) / calls talked on;
 * - outbound calls placed (call_facts).
 * Seconds throughout; ratios and means null without a denominator.
 */
export interface OperatorEfficiencyRow {
  operator: string;
  answered: number;
  missed: number;
  /** missed / (answered + missed). */
  missedShare: number | null;
  /** Missed rings by outcome. */
  noAnswer: number;
  busy: number;
  declined: number;
  talkedCalls: number;
  talkSec: number;
  holdSec: number;
  averageTalkSec: number | null;
  ahtSec: number | null;
  outbound: number;
}

/** attempt_facts columns the report reads (`/reports/attempts`). */
export const ATTEMPT_REPORT_COLUMNS = {
  text: ['operator', 'queue', 'outcome', 'direction'],
  numbers: ['call_started_at', 'ring_sec'],
} as const satisfies ReportColumns<FactColumnName<'attempt_facts'>>;

/** segment_facts columns the report reads (`/reports/segments`); `first_of_operator` is 0/1. */
export const SEGMENT_REPORT_COLUMNS = {
  text: ['operator', 'queue', 'direction'],
  numbers: ['call_started_at', 'talk_sec', 'hold_sec', 'first_of_operator'],
} as const satisfies ReportColumns<FactColumnName<'segment_facts'> | 'first_of_operator'>;

interface Sums {
  answered: number;
  noAnswer: number;
  busy: number;
  declined: number;
  talked: number;
  talk: number;
  hold: number;
  outbound: number;
}

/**
 * The rows of every operator present in the selected attempts, segments or outbound calls,
 * sorted by endpoint. `rows` are the selected indices of each frame (sliceRows).
 */
export function operatorEfficiency(
  facts: { calls: FactFrame; attempts: FactFrame; segments: FactFrame },
  rows: { calls: Int32Array; attempts: Int32Array; segments: Int32Array },
): OperatorEfficiencyRow[] {
  const byOperator = new Map<string, Sums>();
  /** The sums of dictionary entry `code`, created (and cached per code) on first use. */
  const sumsAt = (cache: (Sums | null)[], names: readonly string[], code: number): Sums => {
    const cached = cache[code];
    if (cached) return cached;
    const name = names[code]!;
    let sums = byOperator.get(name);
    if (!sums) {
      sums = { answered: 0, noAnswer: 0, busy: 0, declined: 0, talked: 0, talk: 0, hold: 0, outbound: 0 };
      byOperator.set(name, sums);
    }
    cache[code] = sums;
    return sums;
  };

  const a = facts.attempts;
  const aOperator = dictColumn(a, 'operator');
  const outcome = dictColumn(a, 'outcome');
  const aInbound = Uint8Array.from(dictColumn(a, 'direction').dictionary, (d) => (d === 'inbound' ? 1 : 0));
  const aDirection = dictColumn(a, 'direction').codes;
  const OUTCOME = { answered: 1, no_answer: 2, busy: 3, declined: 4 } as Record<string, number>;
  const outcomeKind = Uint8Array.from(outcome.dictionary, (o) => OUTCOME[o] ?? 0);
  const aSums: (Sums | null)[] = new Array(aOperator.dictionary.length).fill(null);
  for (let k = 0; k < rows.attempts.length; k++) {
    const i = rows.attempts[k]!;
    if (aInbound[aDirection[i]!] === 0) continue;
    // Registered even for a canceled ring only (as the SQL's FULL JOIN lists such an operator).
    const sums = sumsAt(aSums, aOperator.dictionary, aOperator.codes[i]!);
    const kind = outcomeKind[outcome.codes[i]!]!;
    if (kind === 0) continue;
    if (kind === 1) sums.answered++;
    else if (kind === 2) sums.noAnswer++;
    else if (kind === 3) sums.busy++;
    else sums.declined++;
  }

  const s = facts.segments;
  const sOperator = dictColumn(s, 'operator');
  const sDirection = dictColumn(s, 'direction');
  const sInbound = Uint8Array.from(sDirection.dictionary, (d) => (d === 'inbound' ? 1 : 0));
  const talk = numberColumn(s, 'talk_sec').values;
  const hold = numberColumn(s, 'hold_sec').values;
  const first = numberColumn(s, 'first_of_operator').values;
  const external = sOperator.dictionary.indexOf('');
  const sSums: (Sums | null)[] = new Array(sOperator.dictionary.length).fill(null);
  for (let k = 0; k < rows.segments.length; k++) {
    const i = rows.segments[k]!;
    const code = sOperator.codes[i]!;
    if (code === external || sInbound[sDirection.codes[i]!] === 0) continue;
    const sums = sumsAt(sSums, sOperator.dictionary, code);
    sums.talk += talk[i]!;
    sums.hold += hold[i]!;
    if (first[i] === 1) sums.talked++;
  }

  const c = callColumns(facts.calls);
  const nobody = c.operatorNames.indexOf('');
  const cSums: (Sums | null)[] = new Array(c.operatorNames.length).fill(null);
  for (let k = 0; k < rows.calls.length; k++) {
    const i = rows.calls[k]!;
    const code = c.operator[i]!;
    if (code === nobody || c.directionKind[c.direction[i]!] !== OUTBOUND) continue;
    sumsAt(cSums, c.operatorNames, code).outbound++;
  }

  const out: OperatorEfficiencyRow[] = [];
  for (const [operator, x] of byOperator) {
    const missed = x.noAnswer + x.busy + x.declined;
    out.push({
      operator,
      answered: x.answered,
      missed,
      missedShare: share(missed, x.answered + missed),
      noAnswer: x.noAnswer,
      busy: x.busy,
      declined: x.declined,
      talkedCalls: x.talked,
      talkSec: x.talk,
      holdSec: x.hold,
      averageTalkSec: share(x.talk, x.talked),
      ahtSec: share(x.talk + x.hold, x.talked),
      outbound: x.outbound,
    });
  }
  return out.sort((p, q) => compareText(p.operator, q.operator));
}
