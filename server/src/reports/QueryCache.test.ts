import { QuerySpecSchema, type Field } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import type { Connector, QueryableDataset } from '../datasources/types.js';
import { EXTERNAL_TTL_MS, QueryCache } from './QueryCache.js';
import { runQuery } from './runQuery.js';

/** A connector over a JS array that counts how often the database was really asked. */
function countingDataset(external: boolean): { dataset: QueryableDataset; calls: () => number } {
  let calls = 0;
  const connector: Connector = {
    dialect: 'postgres',
    async query() {
      calls++;
      return [{ __c0: '42' }];
    },
    async close() {},
  };
  const fields: Field[] = [{ name: 'n', type: 'integer' }];
  return {
    dataset: { id: 'd1', name: 'd', dataVersion: 1, fields, source: { kind: 'table', table: 't' }, connector, external },
    calls: () => calls,
  };
}

const spec = QuerySpecSchema.parse({ measures: [{ field: 'n', agg: 'sum' }] });

describe('QueryCache', () => {
  it('lets results of an external source expire after five minutes, and keeps embedded ones', async () => {
    let now = 1_000_000;
    const cache = new QueryCache({ now: () => now });
    const ext = countingDataset(true);
    const emb = countingDataset(false);
    const embDs = { ...emb.dataset, id: 'd2' };
    expect((await runQuery(cache, ext.dataset, spec)).cached).toBe(false);
    expect((await runQuery(cache, embDs, spec)).cached).toBe(false);
    now += EXTERNAL_TTL_MS - 1000;
    expect((await runQuery(cache, ext.dataset, spec)).cached).toBe(true);
    now += 2000;
    expect((await runQuery(cache, ext.dataset, spec)).cached).toBe(false);
    expect((await runQuery(cache, embDs, spec)).cached).toBe(true);
    expect(ext.calls()).toBe(2);
    expect(emb.calls()).toBe(1);
  });

  it('misses after the data version changes and normalises numeric strings', async () => {
    const cache = new QueryCache();
    const { dataset, calls } = countingDataset(false);
    const first = await runQuery(cache, dataset, spec);
    expect(first.rows).toEqual([{ sum__n: 42 }]);
    await runQuery(cache, dataset, spec);
    expect((await runQuery(cache, { ...dataset, dataVersion: 2 }, spec)).cached).toBe(false);
    expect(calls()).toBe(2);
  });

  it('asks the database once when the same query arrives several times at once', async () => {
    const cache = new QueryCache();
    const { dataset, calls } = countingDataset(false);
    const results = await Promise.all([1, 2, 3, 4].map(() => runQuery(cache, dataset, spec)));
    expect(results.map((r) => r.rows)).toEqual(Array(4).fill([{ sum__n: 42 }]));
    expect(calls()).toBe(1);
  });

  it('stays within its size budget', async () => {
    const cache = new QueryCache({ maxSize: 1000 });
    const { dataset } = countingDataset(false);
    for (let i = 0; i < 200; i++) {
      await runQuery(cache, dataset, QuerySpecSchema.parse({ measures: [{ field: 'n', agg: 'sum' }], filters: [{ field: 'n', op: 'gt', value: i }] }));
    }
    expect(cache.size).toBeLessThan(200);
  });
});
