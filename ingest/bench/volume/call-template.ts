import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupCallRows } from '../../src/reconcile/group-calls.ts';
import type { CelRow } from '../../src/reconcile/types.ts';
import { readCelCsv } from '../../src/sources/csv-rows.ts';

/**
 * Call templates: every call of every real capture (fixtures/asterisk/scenarios/NN-name/cel.csv),
 * as the CEL rows Asterisk wrote for it, to be cloned into volume. A call is a group of
 * `groupCallRows` (one linkedid, or the two linkedids an attended transfer joins through one
 * channel); scenario 12 alone yields 20 templates.
 */

/** The captures in the repo. */
export const DEFAULT_SCENARIOS_DIR = fileURLToPath(
  new URL('../../../fixtures/asterisk/scenarios/', import.meta.url),
);

/** One CEL row of a template: every column but `id`/`eventtime`, plus its time offset. */
export interface TemplateRow extends Omit<CelRow, 'serverId' | 'id' | 'eventTime'> {
  /** Microseconds (integer) after the template's first row; the first row has 0. */
  offsetUs: number;
}

export interface CallTemplate {
  /** `<scenario>` or, when the capture holds several calls, `<scenario>#<n>` (1-based, by cel.id). */
  name: string;
  /** The linkedids of the original call, first = the linkedid of the call's first row. */
  linkedIds: string[];
  /** Rows in `cel.id` order (the order Asterisk inserted them). */
  rows: TemplateRow[];
}

/** Epoch ms with a microsecond fraction → integer microseconds (exact for CEL times). */
export const toMicros = (epochMs: number): number => Math.round(epochMs * 1000);

/** Splits CEL rows (one server) into call templates named after `source`. */
export function templatesFromRows(rows: readonly CelRow[], source: string): CallTemplate[] {
  const groups = groupCallRows(rows).sort((a, b) => a.rows[0]!.id - b.rows[0]!.id);
  return groups.map((group, index) => {
    const first = group.rows[0]!;
    const startUs = toMicros(first.eventTime);
    return {
      name: groups.length > 1 ? `${source}#${index + 1}` : source,
      linkedIds: [first.linkedId, ...group.linkedIds.filter((l) => l !== first.linkedId)],
      rows: group.rows.map(({ serverId: _s, id: _i, eventTime, ...columns }) => ({
        ...columns,
        offsetUs: toMicros(eventTime) - startUs,
      })),
    };
  });
}

/**
 * Reads every `NN-*` scenario's cel.csv under `dir` (psql CSV, UTC) into templates, scenarios in
 * name order. Throws when a capture has unreadable rows.
 */
export function loadCallTemplates(dir = DEFAULT_SCENARIOS_DIR): CallTemplate[] {
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  const scenarios = readdirSync(base)
    .filter((name) => /^\d\d-/.test(name))
    .sort();
  return scenarios.flatMap((scenario) => {
    const { rows, errors } = readCelCsv(readFileSync(`${base}${scenario}/cel.csv`, 'utf8'), {
      serverId: 'template',
      zone: 'UTC',
    });
    if (errors.length) throw new Error(`${scenario}/cel.csv: ${errors.length} unreadable rows`);
    return templatesFromRows(rows, scenario);
  });
}
