// @vitest-environment node
// The chart renderer and the number formatter, checked on the canvas calls they make.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  (globalThis as any).wx = { getSystemInfoSync: () => ({ language: 'zh_CN' }), getStorageSync: () => '' };
});

/** A 2d context that records calls (rounded numbers), like a canvas would receive them. */
export function recorder() {
  const calls: string[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '' };
  const ctx: any = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => (typeof a === 'number' ? Math.round(a) : a)).join(',')})`);
    },
    set(target, prop: string, v) {
      target[prop] = v;
      if (prop === 'fillStyle') calls.push(`fillStyle=${v}`);
      return true;
    },
  });
  return { ctx, calls };
}
const rects = (calls: string[]) =>
  calls.filter((c) => c.startsWith('fillRect(')).map((c) => c.slice(9, -1).split(',').map(Number) as [number, number, number, number]);
/** y of the grid line whose label is `label` (labels are drawn at the line's y). */
const gridY = (calls: string[], label: string) => {
  const c = calls.find((x) => x.startsWith(`fillText(${label},`));
  return c ? Number(c.slice(9, -1).split(',')[2]) : NaN;
};

describe('stacked bars with negative values', () => {
  // Profit by region: a loss (negative) stacked with gains, as a P&L chart shows it.
  const data = {
    categories: ['华东', '华北'],
    series: [
      { name: '主营', values: [120, 80] },
      { name: '其他', values: [-40, 30] },
    ],
  };

  it('draws the negative part below the zero line and the axis reaches the negative total', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    const hits = drawChart(ctx, { width: 320, height: 220 }, 'bar', data, { stacked: true });
    const zero = gridY(calls, '0');
    expect(zero).toBeGreaterThan(0);
    const loss = hits.find((h) => h.category === '华东' && h.series === '其他')!;
    // Starts at the zero line and goes down, not on top of the 120 bar.
    expect(Math.round(loss.shape.kind === 'rect' ? loss.shape.y : NaN)).toBe(Math.round(zero));
    const [, y, , h] = rects(calls).find((r) => Math.round(r[1]) === Math.round(zero) && r[3] > 0 && r[0] < 160)!;
    expect(y + h).toBeGreaterThan(zero + 10);
    // An axis label below zero exists (the grid covers -40).
    const labels = calls.filter((c) => c.startsWith('fillText(-')).map((c) => Number(c.slice(9).split(',')[0]));
    expect(Math.min(...labels)).toBeLessThanOrEqual(-40);
    // 华北's 30 sits on its 80 (positive on positive), still under 华东's 120 and above zero.
    const east = hits.find((x) => x.category === '华东' && x.series === '主营')!.shape;
    const north2 = hits.find((x) => x.category === '华北' && x.series === '其他')!.shape;
    if (east.kind !== 'rect' || north2.kind !== 'rect') throw new Error('bars are rects');
    expect(north2.y).toBeGreaterThan(east.y);
    expect(north2.y + north2.h).toBeLessThan(zero);
  });

  it('grouped bars with a negative value hang from zero too', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    drawChart(ctx, { width: 320, height: 220 }, 'bar', { categories: ['一月', '二月'], series: [{ name: '利润', values: [50, -20] }] });
    const zero = gridY(calls, '0');
    const [first, second] = rects(calls).filter((r) => r[2] > 8);
    // Recorded numbers are rounded: within a pixel of the zero line.
    expect(Math.abs(first![1] + first![3] - zero)).toBeLessThanOrEqual(1);
    expect(Math.abs(second![1] - zero)).toBeLessThanOrEqual(1);
    expect(second![1] + second![3]).toBeGreaterThan(zero + 10);
  });
});

describe('number formatting without toLocaleString', () => {
  const real = Number.prototype.toLocaleString;
  afterEach(() => {
    Number.prototype.toLocaleString = real;
  });

  it('groups thousands and rounds decimals even where toLocaleString ignores its options', async () => {
    // Some Android runtimes return the bare number whatever the options say.
    Number.prototype.toLocaleString = function (this: number) {
      return String(this);
    };
    const w = await import('../src/utils/widgetData');
    const f = await import('../src/utils/format');
    expect(w.formatCell(1234567.891)).toBe('1,234,567.89');
    expect(w.formatCell(-9876.5432)).toBe('-9,876.54');
    expect(w.formatCell(0.12345)).toBe('0.12');
    expect(w.formatCell(1000)).toBe('1,000');
    expect(w.formatCell(-0.001)).toBe('0');
    expect(f.formatNumber(1234.5, 2)).toBe('1,234.5');
    expect(w.toTable({ columns: [{ key: 'v', label: '销售额', type: 'number' }], rows: [{ v: 12345.678 }], total: 1, cached: false } as any).rows).toEqual([['12,345.68']]);
  });

  it('shows a KPI and a table cell with the digits the web shows (at most two decimals, big numbers too)', async () => {
    const w = await import('../src/utils/widgetData');
    // The sample's 销售额 total: a double without a scale. The web prints it with
    // Intl.NumberFormat(maximumFractionDigits: 2); the phone must not drop the last digit.
    const result = { columns: [{ key: 'sum__销售额', label: '销售额', type: 'number' }], rows: [{ 'sum__销售额': 5560959.43 }], total: 1, cached: false };
    const web = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(5560959.43);
    expect(w.toKpi(result as any).value).toBe(web);
    expect(w.toTable(result as any).rows).toEqual([[web]]);
    expect(w.formatCell(1000)).toBe('1,000');
    expect(w.formatCell(2.5)).toBe('2.5');
  });

  it('shows exact decimals from the API: a money column its scale, values beyond 2^53 every digit', async () => {
    const w = await import('../src/utils/widgetData');
    const money = { key: 's', label: '销售额', type: 'number', scale: 2 };
    const result = {
      columns: [{ key: 'c', label: '国家', type: 'string' }, money, { key: 'id', label: '编号', type: 'integer' }],
      rows: [
        { c: 'USA', s: 523.1, id: '9007199254740993' },
        { c: 'Big', s: '12345678901234567890.125', id: 42 },
        { c: 'Neg', s: -0.005, id: -1 },
      ],
      total: 3,
      cached: false,
    };
    expect(w.toTable(result as any).rows).toEqual([
      ['USA', '523.10', '9,007,199,254,740,993'],
      ['Big', '12,345,678,901,234,567,890.13', '42'],
      ['Neg', '-0.01', '-1'],
    ]);
    expect(w.toKpi({ ...result, columns: [money], rows: [{ s: 3680.97 }] } as any, '$').value).toBe('$3,680.97');
    // Without a scale, exact text keeps its digits and rounds like numbers do.
    expect(w.formatCell('0.125', { key: 'x', label: 'x', type: 'number' })).toBe('0.13');
  });

  it('is the only place that turns numbers into text (no toLocaleString, Intl or toFixed elsewhere)', () => {
    const src = path.resolve(__dirname, '../src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|wxs)$/.test(e.name) && p !== path.join(src, 'utils/format.ts') && /toLocaleString|\bIntl\.|\.toFixed\(/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(src, p));
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });

  it('abbreviates axis values with 万/亿 in Chinese and K/M/B in English', async () => {
    const f = await import('../src/utils/format');
    expect(f.formatCompact(12_500, 'zh')).toBe('1.3万');
    expect(f.formatCompact(250_000_000, 'zh')).toBe('2.5亿');
    expect(f.formatCompact(-30_000, 'zh')).toBe('-3万');
    expect(f.formatCompact(9_999, 'zh')).toBe('9,999');
    expect(f.formatCompact(12_500, 'en')).toBe('12.5K');
    expect(f.formatCompact(3_400_000, 'en')).toBe('3.4M');
    expect(f.formatCompact(1_200_000_000, 'en')).toBe('1.2B');
    expect(f.formatCompact(0.25, 'en')).toBe('0.25');
    expect(f.formatPercent(1 / 6)).toBe('16.7%');
  });

  it('the chart axis uses them: a 亿-scale bar chart in Chinese, M in English', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const data = { categories: ['A', 'B'], series: [{ name: 's', values: [120_000_000, 300_000_000] }] };
    const zh = recorder();
    drawChart(zh.ctx, { width: 320, height: 220 }, 'bar', data, { lang: 'zh' });
    expect(zh.calls.some((c) => c.startsWith('fillText(3亿,'))).toBe(true);
    const en = recorder();
    drawChart(en.ctx, { width: 320, height: 220 }, 'bar', data, { lang: 'en' });
    expect(en.calls.some((c) => c.startsWith('fillText(300M,'))).toBe(true);
  });
});

describe('tapping the chart', () => {
  it('finds the bar, point or slice under the finger from the drawn geometry', async () => {
    const { drawChart, hitTest } = await import('../src/utils/charts/index');
    const data = { categories: ['东', '西', '南'], series: [{ name: '销售额', values: [10, 20, 30] }] };
    for (const kind of ['bar', 'line', 'pie'] as const) {
      const hits = drawChart(recorder().ctx, { width: 300, height: 200 }, kind, data);
      const target = hits.find((h) => h.category === '西')!;
      const s = target.shape;
      const at = s.kind === 'rect' ? { x: s.x + s.w / 2, y: s.y + s.h / 2 } : s.kind === 'point' ? { x: s.x + 3, y: s.y - 3 } : { x: s.cx + Math.cos((s.start + s.end) / 2) * s.r * 0.6, y: s.cy + Math.sin((s.start + s.end) / 2) * s.r * 0.6 };
      const picked = hitTest(hits, at.x, at.y);
      expect({ kind, picked: picked && { index: picked.index, category: picked.category, series: picked.series, value: picked.value } }).toEqual({ kind, picked: { index: 1, category: '西', series: '销售额', value: 20 } });
      expect(hitTest(hits, 299, 1)).toBeNull();
    }
  });
});
