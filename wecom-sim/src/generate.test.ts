import { describe, expect, it } from 'vitest';
import { Corp } from './corp.js';
import { generateCorp } from './generate.js';

describe('generateCorp', () => {
  it('builds a 100k-member corp with 5k departments, unique userids and mobiles, and duplicate names', () => {
    const f = generateCorp({ members: 100_000, departments: 5000, seed: 1 });
    expect(f.members).toHaveLength(100_000);
    expect(f.departments).toHaveLength(5000);
    expect(new Set(f.members.map((m) => m.userid.toLowerCase())).size).toBe(100_000);
    expect(new Set(f.members.map((m) => m.mobile)).size).toBe(100_000);
    for (const m of f.members.slice(0, 1000)) {
      expect(m.mobile).toMatch(/^1[3-9]\d{9}$/);
      expect(m.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    }
    const byName = new Map<string, number>();
    for (const m of f.members) {
      byName.set(m.name, (byName.get(m.name) ?? 0) + 1);
    }
    expect(byName.get('张伟')).toBeGreaterThan(1);
    expect([...byName.values()].filter((n) => n > 1).length).toBeGreaterThan(1000);
    // It is a valid fixture.
    const corp = Corp.fromFixture(f);
    expect(corp.members.size).toBe(100_000);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(generateCorp({ members: 500, seed: 7 }));
    expect(JSON.stringify(generateCorp({ members: 500, seed: 7 }))).toBe(a);
    expect(JSON.stringify(generateCorp({ members: 500, seed: 8 }))).not.toBe(a);
  });

  it('makes departments at least three levels deep, with some disabled members and the three app kinds', () => {
    const f = generateCorp({ members: 300, departments: 24, seed: 3 });
    const parent = new Map(f.departments.map((d) => [d.id, d.parentid]));
    const depth = (id: number): number => (id === 1 ? 0 : 1 + depth(parent.get(id) ?? 1));
    expect(Math.max(...f.departments.map((d) => depth(d.id)))).toBeGreaterThanOrEqual(3);
    expect(f.members.some((m) => m.status === 2)).toBe(true);
    expect(f.apps.map((a) => a.kind).sort()).toEqual(['contact_sync', 'miniprogram', 'self_built']);
    expect(f.corpid).toMatch(/^ww[0-9a-f]{16}$/);
    expect(f.apps.find((a) => a.kind === 'miniprogram')?.appid).toMatch(/^wx[0-9a-f]{16}$/);
  });

  it('ships a valid sample fixture with duplicate names and a disabled member', async () => {
    const { loadCorpFile } = await import('./corp.js');
    const corp = loadCorpFile(new URL('../fixtures/sample-corp.json', import.meta.url).pathname);
    const names = [...corp.members.values()].map((m) => m.name);
    expect(names.filter((n) => n === '张伟').length).toBeGreaterThanOrEqual(2);
    expect([...corp.members.values()].some((m) => m.status === 2)).toBe(true);
    expect(corp.members.size).toBeGreaterThanOrEqual(200);
  });
});

describe('fixture validation', () => {
  it('lists what is wrong with a bad fixture', () => {
    const f = generateCorp({ members: 5, seed: 1 });
    const bad = { ...f, departments: f.departments.filter((d) => d.id !== 1) };
    expect(() => Corp.fromFixture(bad)).toThrow(/root department id 1/);
    expect(() => Corp.fromFixture({ ...f, corpid: 'nope' })).toThrow(/corpid/);
  });
});
