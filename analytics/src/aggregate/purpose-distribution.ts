import { CallEnd, callColumns, INBOUND } from './call-columns.ts';
import { dictColumn, type FactFrame } from './fact-frame.ts';
import { compareText, share } from './slice-rows.ts';

/** Answered inbound calls of one operator with one purpose (`''`: not set on the card). */
export interface PurposeRow {
  operator: string;
  purpose: string;
  calls: number;
  /** Share of the operator's answered inbound calls. */
  shareOfOperator: number | null;
}

/**
 * Operator efficiency by purpose (sql/ANALYSTS.md "Operator efficiency: distribution by purpose"):
 * answered inbound calls per operator (call_facts.operator: a card belongs to the call, so a
 * transferred call counts for its last operator) and purpose. Sorted by operator, calls
 * descending, purpose (an unset purpose sorts as "(not set)").
 */
export function purposeDistribution(calls: FactFrame, rows: Int32Array): PurposeRow[] {
  const c = callColumns(calls);
  const purpose = dictColumn(calls, 'purpose');
  const width = purpose.dictionary.length;
  const none = c.operatorNames.indexOf('');
  const counts = new Float64Array(c.operatorNames.length * width);
  const perOperator = new Float64Array(c.operatorNames.length);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const op = c.operator[i]!;
    if (op === none || c.directionKind[c.direction[i]!] !== INBOUND) continue;
    if (c.statusEnd[c.status[i]!] !== CallEnd.answered) continue;
    counts[op * width + purpose.codes[i]!]! += 1;
    perOperator[op]! += 1;
  }
  const out: PurposeRow[] = [];
  counts.forEach((n, cell) => {
    if (n === 0) return;
    const op = Math.floor(cell / width);
    out.push({
      operator: c.operatorNames[op]!,
      purpose: purpose.dictionary[cell % width]!,
      calls: n,
      shareOfOperator: share(n, perOperator[op]!),
    });
  });
  const sortKey = (p: string) => (p === '' ? '(not set)' : p);
  return out.sort(
    (a, b) =>
      compareText(a.operator, b.operator) ||
      b.calls - a.calls ||
      compareText(sortKey(a.purpose), sortKey(b.purpose)),
  );
}
