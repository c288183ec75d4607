import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endOfLifeWarning, RECOMMENDED_NODE_MAJOR } from './nodeRuntime.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('endOfLifeWarning', () => {
  it('warns on Node 20 once its end of life (2026-04-30) has come, in Chinese and English', () => {
    expect(endOfLifeWarning('20.20.2', day('2026-04-29'))).toBeNull();
    const w = endOfLifeWarning('20.20.2', day('2026-04-30'));
    expect(w).toContain('Node.js v20.20.2 已于 2026-04-30 停止维护');
    expect(w).toContain('reached its end of life on 2026-04-30');
    expect(w).toContain(`upgrade to Node.js ${RECOMMENDED_NODE_MAJOR}`);
  });

  it('stays quiet on the supported 22 and 24 until their own end of life', () => {
    expect(endOfLifeWarning('22.13.0', day('2026-12-01'))).toBeNull();
    expect(endOfLifeWarning('24.22.3', day('2026-12-01'))).toBeNull();
    expect(endOfLifeWarning('22.22.0', day('2027-05-01'))).toContain('2027-04-30');
  });

  it('warns on a short-lived odd release and on anything older than the table, not on a newer major', () => {
    expect(endOfLifeWarning('23.11.0', day('2026-12-01'))).toContain('2025-06-01');
    expect(endOfLifeWarning('16.20.2', day('2026-12-01'))).toMatch(/已停止维护[\s\S]*reached its end of life and/);
    expect(endOfLifeWarning('30.0.0', day('2026-12-01'))).toBeNull();
  });

  it('recommends the runtime that .nvmrc names', () => {
    const nvmrc = fs.readFileSync(path.join(import.meta.dirname, '../../../.nvmrc'), 'utf8').trim();
    expect(nvmrc).toBe(String(RECOMMENDED_NODE_MAJOR));
  });
});
