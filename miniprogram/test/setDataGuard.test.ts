// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { SETDATA_MAX_BYTES, jsonBytes, safeSetData, splitPatch } from '../src/utils/setDataGuard';
import { diffPaths } from '../src/utils/widgetView';

/** A page's data with WeChat's path semantics (`a.b[3].c`), recording the size of every call. */
function fakePage(data: Record<string, any> = {}) {
  const sizes: number[] = [];
  return {
    data,
    sizes,
    setData(patch: Record<string, unknown>) {
      sizes.push(jsonBytes(patch));
      for (const [path, value] of Object.entries(patch)) {
        const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
        let cur: any = data;
        for (const p of parts.slice(0, -1)) cur = cur[p] ??= /^\d+$/.test(p) ? [] : {};
        cur[parts[parts.length - 1]!] = JSON.parse(JSON.stringify(value));
      }
    },
  };
}

const wideLongTable = (rows: number, cols: number, tag = '') => ({
  columns: Array.from({ length: cols }, (_, c) => ({ key: `列${c}`, label: `很长的列名第${c}列`, numeric: c % 2 === 0 })),
  rows: Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => `${tag}华东区第${r}行第${c}列的值`)),
});

describe('setData guard', () => {
  it('sends a very wide and long table in calls of at most 256 KB that rebuild it exactly', () => {
    const table = wideLongTable(3000, 40);
    const patch = { 'widgets[2].table': table, 'widgets[2].loading': false };
    expect(jsonBytes(patch)).toBeGreaterThan(4 * 1024 * 1024); // far over WeChat's own 1 MB limit
    const page = fakePage({ widgets: [{}, {}, { table: { columns: [], rows: [['old']] }, loading: true }] });
    const calls = safeSetData(page, patch);
    expect(calls).toBe(page.sizes.length);
    expect(calls).toBeGreaterThan(16);
    expect(Math.max(...page.sizes)).toBeLessThanOrEqual(SETDATA_MAX_BYTES);
    expect(page.data.widgets[2]).toEqual({ table, loading: false });
  });

  it('replaces a longer old array instead of leaving its tail behind', () => {
    const page = fakePage({ rows: wideLongTable(3000, 10, 'old').rows });
    const fresh = wideLongTable(2000, 10, 'new').rows;
    safeSetData(page, { rows: fresh });
    expect(page.data.rows).toEqual(fresh);
  });

  it('sends a small patch as one call, untouched, and cuts a single cell too big for any call', () => {
    expect(splitPatch({ a: 1, 'b.c': 'x' })).toEqual([{ a: 1, 'b.c': 'x' }]);
    const page = fakePage();
    safeSetData(page, { big: '数'.repeat(200_000) });
    expect(Math.max(...page.sizes)).toBeLessThanOrEqual(SETDATA_MAX_BYTES);
    expect(page.data.big.endsWith('…')).toBe(true);
    expect(page.data.big.startsWith('数数数')).toBe(true);
  });
});

describe('diffPaths', () => {
  const shown = { loading: false, total: 3, table: { columns: [{ key: 'a' }], rows: [['1'], ['2'], ['3']] } };
  it('sends nothing for an unchanged widget and only the changed row of a changed one', () => {
    expect(diffPaths('widgets[3]', shown, JSON.parse(JSON.stringify(shown)))).toEqual({});
    const next = { ...shown, table: { ...shown.table, rows: [['1'], ['二'], ['3']] } };
    expect(diffPaths('widgets[3]', shown, next)).toEqual({ 'widgets[3].table.rows[1]': ['二'] });
  });
  it('sends a list whole when its length changed', () => {
    const next = { ...shown, total: 4, table: { ...shown.table, rows: [['1'], ['2'], ['3'], ['4']] } };
    expect(diffPaths('widgets[3]', shown, next)).toEqual({ 'widgets[3].total': 4, 'widgets[3].table.rows': next.table.rows });
  });
});
