// CI smoke test of the bench: `npm run bench -- --quick` still runs end to end and every figure it
// measures comes out as a number. Whether a figure meets its goal is the full bench's business.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { BenchRow } from './benchRow.js';

it('the quick bench runs every figure module and each measured figure has a number', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-bench-quick-'));
  try {
    const out = path.join(dir, 'results.md');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: path.resolve(import.meta.dirname, '..'),
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const res = JSON.parse(fs.readFileSync(out.replace(/\.md$/, '.json'), 'utf8')) as { failed: string[]; notMerged: string[]; rows: BenchRow[] };
    expect(res.failed).toEqual([]);
    const measured = res.rows.filter((row) => !row.figure.includes('not merged yet'));
    // The baselines plus at least the report, web and idle figures.
    expect(measured.length).toBeGreaterThanOrEqual(8);
    for (const row of measured) expect(row.value, row.figure).toMatch(/\d/);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('| figure | db | value |');
    expect(md).toMatch(/\d+ cores/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
