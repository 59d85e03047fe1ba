import { FACT_TABLES, type FactColumnName, type FactColumnSpec } from '@callcenter/sql/schema';

/** One column of a report: ClickHouse type, the Arrow type it arrives as, unit, meaning. */
export interface ColumnDoc {
  clickhouse: string;
  arrow: string;
  unit: string;
  meaning: string;
  /** The SELECT expression when it is not the bare column (aliased to the column's name). */
  select?: string;
}

const TS = 'Timestamp<MILLISECOND, UTC>';
const DICT = 'Dictionary<Int32, Utf8>';

/**
 * The Arrow type a call_facts column arrives as (docs/architecture.md#known-sharp-edges: no LZ4,
 * LowCardinality as dictionaries, String as Utf8, 64-bit integers as BigInt).
 *
 * Per-call durations (Float64 seconds) leave as Float32: 7 significant digits (±0.0002 s at an
 * hour) are finer than any report shows, sums are taken in Float64 by the reader, and 4 bytes
 * instead of 8 on five columns is a fifth of a fact row's Arrow bytes (npm run bench:api).
 */
function columnDoc(name: string, spec: FactColumnSpec): ColumnDoc {
  const nullable = spec.ch.startsWith('Nullable(');
  const inner = nullable ? spec.ch.slice('Nullable('.length, -1) : spec.ch;
  const orNull = (arrow: string) => (nullable ? `${arrow}, nullable` : arrow);
  const base = { clickhouse: spec.ch, unit: spec.unit, meaning: spec.meaning };
  if (inner === 'Float64' && spec.unit === 's')
    return { ...base, arrow: orNull('Float32'), select: `toFloat32(${name})` };
  if (inner === 'LowCardinality(String)') return { ...base, arrow: orNull(DICT) };
  if (inner === 'String') return { ...base, arrow: orNull('Utf8') };
  if (inner.startsWith('DateTime64')) return { ...base, arrow: orNull(TS) };
  if (inner === 'UInt64') return { ...base, arrow: orNull('Uint64 (BigInt in JS)') };
  const int = /^UInt(8|16|32)$/.exec(inner);
  if (int) return { ...base, arrow: orNull(`Uint${int[1]}`) };
  if (inner === 'Float64') return { ...base, arrow: orNull('Float64') };
  throw new Error(`no Arrow type for ClickHouse type ${spec.ch} (column ${name})`);
}

/**
 * The columns `/reports/facts` may return (the whitelist), in the table's order, derived from the
 * facts' one definition (sql/schema/fact-tables.ts). `is_deleted` is not offered (always 0 under
 * FINAL).
 */
export const FACT_COLUMNS: Readonly<Record<string, ColumnDoc>> = Object.fromEntries(
  Object.entries(FACT_TABLES.call_facts.columns as Record<string, FactColumnSpec>)
    .filter(([name]) => name !== 'is_deleted')
    .map(([name, spec]) => [name, columnDoc(name, spec)]),
);

/** A column of call_facts (sql/schema/fact-tables.ts). */
export type CallFactColumn = FactColumnName<'call_facts'>;

export { DICT as ARROW_DICTIONARY, TS as ARROW_TIMESTAMP };
