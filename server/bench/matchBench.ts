// Matching preview and user import at company scale. `tsx server/bench/matchBench.ts [--quick]`
// prints its rows; run.ts imports benchMatch. Seeds straight into the database (the seeding is
// not what is measured), then measures through HTTP as the admin's browser would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { hashPassword } from '../src/auth/passwords.js';
import type { Config } from '../src/config.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps, type Deps } from '../src/deps.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { importUsers } from '../src/users/importUsers.js';
import { insertUser } from '../src/users/userRepo.js';
import type { RawUserRow } from '../src/users/userFile.js';
import { memberMatchKeys, userMatchKeys } from '../src/wecom/matching/matchKeys.js';
import type { BenchRow } from './benchRow.js';
import { medianMs, startBareServer } from './harness.js';

// The most frequent surnames and given names (census order), as in wecom-sim's generated corps.
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严'];
const GIVEN_NAMES = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚萍丹斌浩宇鑫婷鹏辉红玲颖琳倩亮成凯晨阳帆'];
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A name for person i: one in 300 is 王伟 (about its share in China), a third share one of a few
 * thousand common surname+given-name pairs, the rest are rarer three-character names.
 */
export function benchName(i: number): string {
  if (i % 300 === 7) return '王伟';
  const s = SURNAMES[(i * 7919) % SURNAMES.length]!;
  const g = GIVEN_NAMES[(i * 104729) % GIVEN_NAMES.length]!;
  if (i % 3 === 0) return s + g;
  const g2 = GIVEN_NAMES[Math.floor(i / GIVEN_NAMES.length) % GIVEN_NAMES.length]!;
  return s + g2 + g;
}

async function freshDb(kind: 'sqlite' | 'postgres', dataDir: string): Promise<{ database: Config['database']; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { database: { kind: 'sqlite', file: path.join(dataDir, 'bench.db') }, drop: async () => {} };
  const name = `shulan_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function startApp(kind: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-matchbench-'));
  const { database, drop } = await freshDb(kind, dataDir);
  const config: Config = { ...loadConfig({ SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_SAMPLE_CONTENT: '0' }), database };
  const deps = createDeps(config);
  await migrate(deps.db);
  const app = await buildApp(deps, { logger: false, webDist: null });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    deps,
    url,
    async close() {
      await app.close();
      await deps.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** n users and n members named alike (one in ten users has no namesake in WeCom), 5k departments. */
export async function seedCompany(deps: Deps, n: number, departments: number): Promise<void> {
  const db = deps.db;
  const now = nowIso();
  // One shared hash: seeding 100k real argon2 hashes is not what this figure measures.
  const passwordHash = await hashPassword('bench-seed-password');
  const CH = 500;
  for (let d = 0; d < departments; d += CH) {
    const rows = [];
    for (let id = d + 1; id <= Math.min(departments, d + CH); id++) rows.push({ id, name: `部门${id}`, parent_id: id === 1 ? null : 1, synced_at: now });
    await db.insertInto('wecom_departments').values(rows).execute();
  }
  for (let i = 0; i < n; i += CH) {
    const users = [];
    const members = [];
    for (let j = i; j < Math.min(n, i + CH); j++) {
      const name = benchName(j);
      users.push({
        id: newId(),
        username: `u${j}`,
        username_key: `u${j}`,
        display_name: j % 10 === 9 ? `${name}外` : name,
        mobile: null,
        email: null,
        role: 'viewer' as const,
        status: 'active' as const,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
        ...userMatchKeys({ display_name: j % 10 === 9 ? `${name}外` : name, mobile: null }),
      });
      members.push({
        userid: `m${j}`,
        name,
        mobile: null,
        email: null,
        department_ids_json: JSON.stringify([1 + (j % departments)]),
        status: 1,
        left_at: null,
        synced_at: now,
        position: null,
        ...memberMatchKeys({ name, mobile: null }),
      });
    }
    await db.insertInto('users').values(users).execute();
    await db.insertInto('wecom_members').values(members).execute();
  }
}

/** Peak RSS (sampled every 5 ms) above the RSS before, while fn runs. */
async function peakRssDelta<T>(fn: () => Promise<T>): Promise<{ result: T; deltaMb: number }> {
  global.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, deltaMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

export async function benchMatch(opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  const n = opts.quick ? 3000 : 100_000;
  const departments = opts.quick ? 50 : 5000;
  const bare = `bare ${opts.bareLatencyMs.toFixed(2)} ms`;
  const rows: BenchRow[] = [];
  for (const db of ['sqlite', 'postgres'] as const) {
    const s = await startApp(db);
    try {
      await seedCompany(s.deps, n, departments);
      const adminId = await insertUser(s.deps.db, { username: 'bench-admin', displayName: 'bench', role: 'admin', passwordHash: await hashPassword('bench-admin-pw') });
      const { token } = await s.deps.sessions.open(adminId, 'password', 'api');
      const call = async (body: object) => {
        const res = await fetch(`${s.url}/api/wecom/matching/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`preview answered ${res.status}: ${text.slice(0, 200)}`);
        return text;
      };
      // Pressing 预览匹配: a fresh classification and the first page of the heaviest tab (every 王伟).
      const first = { by: 'name', category: 'ambiguous', offset: 0, limit: 50 };
      await call(first); // warm-up
      const { result: body, deltaMb } = await peakRssDelta(() => call(first));
      const t = await medianMs(3, () => call(first));
      const data = (JSON.parse(body) as { data: { counts: Record<string, number> } }).data;
      const label = `${n / 1000}k users × ${n / 1000}k members`;
      rows.push(
        { figure: `matching preview by name, first page (${label}; ${data.counts.ambiguous} ambiguous)`, value: ms(t), baseline: bare, ratio: `${(t / opts.bareLatencyMs).toFixed(0)}× bare`, goal: '< 0.5 s', db },
        { figure: 'matching preview, first page size', value: `${(Buffer.byteLength(body) / 1024).toFixed(1)} KB`, baseline: 'whole preview in one answer before', ratio: '—', goal: '< 200 KB', db },
        { figure: 'matching preview, peak RSS added', value: `${deltaMb.toFixed(0)} MB`, baseline: `${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB process RSS`, ratio: '—', goal: '< 100 MB', db },
      );
      // Turning to a later, filtered page of the same preview (read from its snapshot).
      const { snapshot } = (JSON.parse(await call(first)) as { data: { snapshot: string } }).data;
      const later = await peakRssDelta(() => medianMs(3, () => call({ by: 'name', category: 'sure', offset: 100, limit: 50, q: '部门12', snapshot })));
      rows.push({ figure: 'matching preview, a later filtered page', value: ms(later.result), baseline: bare, ratio: `${(later.result / opts.bareLatencyMs).toFixed(0)}× bare`, goal: '< 0.5 s', db });

      // Import n new users (initial passwords) through the same code as the CLI and the web.
      const raw: RawUserRow[] = Array.from({ length: n }, (_, i) => ({ row: i + 2, values: { username: `imp${i}`, name: benchName(i), mobile: undefined, email: undefined, group: i % 100 === 0 ? '新员工' : undefined } }));
      const t0 = performance.now();
      const report = await importUsers(s.deps.db, raw, { dryRun: false, actorId: adminId, lang: 'en', source: { via: 'cli', file: 'bench.csv' } });
      const importMs = performance.now() - t0;
      if (report.counts.created !== n) throw new Error(`import created ${report.counts.created} of ${n}`);
      rows.push({ figure: `user import (${n / 1000}k new users, initial passwords)`, value: ms(importMs), baseline: bare, ratio: `${(importMs / opts.bareLatencyMs).toFixed(0)}× bare`, goal: '< 10 s', db });
    } finally {
      await s.close();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const b = await startBareServer();
  const bareLatencyMs = await medianMs(200, () => fetch(`${b.url}/bare`).then((r) => r.text()));
  await b.app.close();
  const rows = await benchMatch({ quick, bareRps: 0, bareLatencyMs });
  for (const r of rows) console.log([r.db ?? '', r.figure, r.value, r.baseline, r.ratio, r.goal].join(' | '));
}
