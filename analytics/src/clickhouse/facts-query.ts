import { type BuiltQuery, formatTail, type ReportFormat } from './built-query.ts';
import { callFactsWhere, type FactFilters, type ReportScope } from './call-facts-where.ts';
import { DEFAULT_FACT_COLUMNS, FACT_COLUMNS, unknownFactColumns } from './fact-columns.ts';

/**
 * `/reports/facts`: one row per call in the period and scope, whitelisted columns only, ordered by
 * start time. Throws on a column outside the whitelist (the route answers 400 before that).
 */
export function factsQuery(
  scope: ReportScope,
  filters: FactFilters,
  columns: readonly string[] = DEFAULT_FACT_COLUMNS,
  format: ReportFormat = 'arrow',
): BuiltQuery {
  const unknown = unknownFactColumns(columns);
  if (unknown.length > 0) throw new Error(`unknown columns: ${unknown.join(', ')}`);
  if (columns.length === 0) throw new Error('no columns');
  const where = callFactsWhere(scope, filters);
  const query = [
    `SELECT ${columns
      .map((name) => {
        const select = FACT_COLUMNS[name]?.select;
        return select ? `${select} AS ${name}` : name;
      })
      .join(', ')}`,
    'FROM call_facts FINAL',
    `WHERE ${where.query}`,
    'ORDER BY started_at, server_id, linkedid',
    formatTail(format),
  ].join('\n');
  return { query, query_params: where.query_params };
}
