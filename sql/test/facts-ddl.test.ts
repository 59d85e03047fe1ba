import { migratedFactsStatements } from '@callcenter/sql';
import { FACT_TABLES, factsDdl } from '@callcenter/sql/schema';
import { describe, expect, it } from 'vitest';

describe('facts DDL', () => {
  it('sql/clickhouse (001_facts and the columns later files add) is the DDL generated from sql/schema/fact-tables.ts', () => {
    // Statement by statement, comments aside: a column, type, index or key written by hand in one
    // place and not the other fails here.
    expect(migratedFactsStatements()).toEqual(factsDdl());
  });

  it('every table is keyed by its call start day, server and linkedid', () => {
    for (const spec of Object.values(FACT_TABLES)) {
      expect(spec.orderBy.slice(0, 3)).toEqual([`toDate(${spec.callStart})`, 'server_id', 'linkedid']);
      expect(spec.partitionBy).toBe(`toYYYYMM(${spec.callStart})`);
    }
  });
});
