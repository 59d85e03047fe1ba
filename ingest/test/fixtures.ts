import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CdrRow, CelRow } from '../src/reconcile/types.ts';
import { readCdrCsv, readCelCsv } from '../src/sources/csv-rows.ts';

/** The real Asterisk captures copied into the repo (fixtures/asterisk/scenarios). */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../fixtures/asterisk/scenarios/', import.meta.url));

/** Captures from Debian's Asterisk 22 by `npm run pbx:capture` (fixtures/asterisk/scenarios-22). */
export const SCENARIOS_22_DIR = fileURLToPath(
  new URL('../../fixtures/asterisk/scenarios-22/', import.meta.url),
);

export const scenarioNames = (dir = SCENARIOS_DIR): string[] =>
  readdirSync(dir)
    .filter((n) => /^\d\d-/.test(n))
    .sort();

export const FIXTURE_OPERATORS = new Set(['101', '102', '103']);
export const fixtureOperators = (_serverId: string, endpoint: string): boolean =>
  FIXTURE_OPERATORS.has(endpoint);

export interface Scenario {
  name: string;
  cel: CelRow[];
  cdr: CdrRow[];
}

export function loadScenario(name: string, serverId = 'pbx1', dir = SCENARIOS_DIR): Scenario {
  const read = (file: string) => readFileSync(`${dir}${name}/${file}`, 'utf8');
  const cel = readCelCsv(read('cel.csv'), { serverId, zone: 'UTC' });
  const cdr = readCdrCsv(read('cdr.csv'), { serverId, zone: 'UTC' });
  if (cel.errors.length || cdr.errors.length) throw new Error(`fixture ${name} has unreadable rows`);
  return { name, cel: cel.rows, cdr: cdr.rows };
}
