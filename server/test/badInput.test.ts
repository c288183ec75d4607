import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RouteDef } from '../src/http/route.js';
import { createTestApp, type TestApp } from './testApp.js';

/**
 * Every write endpoint gets garbage: a clear 4xx every time, never a 5xx, and no row written.
 * Run as an admin so the request always reaches validation.
 */
let t: TestApp;
let admin: Record<string, string>;
let writes: RouteDef[];

const SQLISH = "x'); DROP TABLE users; -- \" OR 1=1 /*";
const HUGE = 'x'.repeat(200_000);

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await t.deps.db.introspection.getTables();
  const out: Record<string, number> = {};
  for (const tb of tables) {
    if (tb.name.startsWith('kysely_')) continue;
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(tb.name)}`.execute(t.deps.db);
    out[tb.name] = Number(r.rows[0]!.n);
  }
  return out;
}

function bodyKeys(r: RouteDef): string[] {
  if (!r.body) return ['name'];
  const js = z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) as { properties?: object; anyOf?: { properties?: object }[] };
  const props = { ...(js.properties ?? {}), ...Object.assign({}, ...(js.anyOf ?? []).map((a) => a.properties ?? {})) };
  return Object.keys(props);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
  writes = t.app.routeTable.filter((r) => r.method !== 'GET' && !r.url.startsWith('/api/auth/logout'));
});
afterAll(async () => t?.close());

function fill(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, 'no-such-id');
}

const cases: [string, (r: RouteDef) => { payload: string; type?: string }][] = [
  ['malformed JSON', () => ({ payload: '{"name": "a", ' })],
  ['an array instead of an object', () => ({ payload: '[1,2,3]' })],
  ['a bare string', () => ({ payload: '"hello"' })],
  ['null', () => ({ payload: 'null' })],
  ['numbers where text belongs', (r) => ({ payload: JSON.stringify(Object.fromEntries(bodyKeys(r).map((k) => [k, 12345]))) })],
  ['oversized strings', (r) => ({ payload: JSON.stringify(Object.fromEntries(bodyKeys(r).map((k) => [k, HUGE]))) })],
  ['unknown fields only', () => ({ payload: JSON.stringify({ definitelyNotAField: 1, __proto__x: 'y' }) })],
  ['a body over the 1 MB limit', () => ({ payload: JSON.stringify({ name: 'x'.repeat(1_200_000) }) })],
  ['text/plain content', () => ({ payload: 'username=admin', type: 'text/plain' })],
];

describe('bad input on every write endpoint', () => {
  for (const [label, make] of cases) {
    it(`${label}: 4xx with a readable message, nothing written`, async () => {
      const before = await rowCounts();
      const wrong: string[] = [];
      for (const r of writes) {
        const { payload, type } = make(r);
        const res = await t.app.inject({
          method: r.method,
          url: fill(r.url),
          headers: { ...admin, 'content-type': type ?? 'application/json' },
          payload,
        });
        const body = res.json() as { error?: { code: string; message: string } };
        const readable = typeof body.error?.message === 'string' && body.error.message.length > 3 && !/at .*\.ts:\d+/.test(body.error.message);
        if (res.statusCode < 400 || res.statusCode >= 500 || !readable) {
          wrong.push(`${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await rowCounts()).toEqual(before);
    });
  }

  it('SQL-looking values never cause a 5xx and never damage the database', async () => {
    const before = await rowCounts();
    const wrong: string[] = [];
    for (const r of writes) {
      const payload = JSON.stringify(Object.fromEntries(bodyKeys(r).map((k) => [k, SQLISH])));
      const res = await t.app.inject({ method: r.method, url: fill(r.url), headers: { ...admin, 'content-type': 'application/json' }, payload });
      if (res.statusCode >= 500) wrong.push(`${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    const after = await rowCounts();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after.users).toBeGreaterThanOrEqual(before.users!);
  });
});
