// Scale-out (docs/scale.md): passwordless logins/s and report opens/s through nginx (round robin)
// with ONE and with TWO Shulan instances on the same PostgreSQL, Redis and shared dir, in the same
// run. On a 2-core machine the point is that the shared stores cost nothing (2 instances ≥ 0.9× of
// 1), not a gain: both instances, nginx, PostgreSQL, Redis, the simulator and autocannon share the
// same two cores. Runnable alone: `tsx server/bench/clusterBench.ts [--quick]`.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type Field } from '@shulan/shared';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps } from '../src/deps.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { insertReport } from '../src/reports/reportRepo.js';
import { insertUser } from '../src/users/userRepo.js';
import { startRedis } from '../test/redisProcess.js';
import { freePort, startNginx } from '../test/deploy/nginxProcess.js';
import { freshPostgres } from '../test/testDb.js';
import type { BenchRow } from './benchRow.js';
import type { ProcReply, ProcRequest } from './loginProcs.js';

const PROCS = fileURLToPath(new URL('./loginProcs.ts', import.meta.url));
// nginx of the test helper has 256 worker connections: each client takes two (client + upstream).
const CONNECTIONS = 50;
const SECRET_KEY = 'd'.repeat(64);

interface Proc {
  ready: Extract<ProcReply, { type: 'ready' }>;
  ask<T extends ProcReply['type']>(req: ProcRequest, reply: T): Promise<Extract<ProcReply, { type: T }>>;
  stop(): Promise<void>;
}

async function startProc(mode: 'sim' | 'app', env: Record<string, string>): Promise<Proc> {
  const child: ChildProcess = fork(PROCS, [mode], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends ProcReply['type']>(type: T) =>
    new Promise<Extract<ProcReply, { type: T }>>((resolve, reject) => {
      const onMsg = (m: ProcReply) => {
        if (m.type !== type) return;
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m as Extract<ProcReply, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`bench ${mode} process exited (${code})`));
      child.on('message', onMsg);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  return {
    ready,
    ask(req, reply) {
      const p = next(reply);
      child.send(req);
      return p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' } satisfies ProcRequest);
      }),
  };
}

interface Run {
  rps: number;
  p99: number;
}

async function load(opts: autocannon.Options): Promise<Run> {
  const r = await autocannon({ connections: CONNECTIONS, timeout: 30, ...opts });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${opts.url}: ${r.non2xx} non-2xx answers, ${r.errors} errors (${r.timeouts} timeouts)`);
  return { rps: r.requests.total / r.duration, p99: r.latency.p99 };
}

/** nginx in front of the given instances, with keep-alive to them as a production config would have. */
async function balancer(dir: string, upstreams: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const conf = `upstream shulan_instances {
${upstreams.map((u) => `    server ${u};`).join('\n')}
    keepalive 64;
}
server {
    listen 127.0.0.1:${port};
    access_log off;
    location / {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_pass http://shulan_instances;
    }
}
`;
  const nginx = await startNginx(dir, conf, [port]);
  return { url: `http://127.0.0.1:${port}`, stop: () => nginx.stop() };
}

const FIELDS: Field[] = [
  { name: 'order_date', type: 'date' },
  { name: 'region', type: 'string' },
  { name: 'amount', type: 'number' },
];

function* salesRows(n: number): Generator<unknown[]> {
  const regions = ['华东', '华南', '华北', '西南', '东北'];
  for (let i = 0; i < n; i++) yield [new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10), regions[i % 5], (i % 997) / 10];
}

export async function benchCluster(opts: { quick: boolean }): Promise<BenchRow[]> {
  const logins = opts.quick ? 600 : 10_000;
  const opens = opts.quick ? 100 : 3000;
  const members = opts.quick ? 300 : 5000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-clusterbench-'));
  const pgDb = await freshPostgres();
  const redis = await startRedis();
  const env = { SHULAN_DATABASE_URL: pgDb.url, SHULAN_REDIS_URL: redis.url, SHULAN_SHARED_DIR: path.join(tmp, 'shared'), SHULAN_SECRET_KEY: SECRET_KEY };
  const sim = await startProc('sim', { BENCH_MEMBERS: String(members) });
  const procs: Proc[] = [];
  try {
    const appEnv = (seeded: boolean) => ({
      ...env,
      BENCH_SIM_URL: sim.ready.url,
      BENCH_CORP_ID: sim.ready.corpId!,
      BENCH_APP_ID: sim.ready.appId!,
      BENCH_SECRET: sim.ready.secret!,
      BENCH_MEMBERS: String(members),
      BENCH_NO_SEED: seeded ? '1' : '0',
    });
    procs.push(await startProc('app', appEnv(false)));
    procs.push(await startProc('app', appEnv(true)));

    // A report over an uploaded table, written once to the shared dir; both instances load it.
    const deps = createDeps(loadConfig({ ...env, SHULAN_DATA_DIR: path.join(tmp, 'seed'), SHULAN_LOG_LEVEL: 'silent', SHULAN_SAMPLE_CONTENT: '0' }));
    let reportId: string;
    const widgets = ['kpi', 'bar', 'line', 'table'];
    try {
      await migrate(deps.db);
      await (await deps.connectors.embedded()).replaceTable('bench_cluster_sales', FIELDS, salesRows(opts.quick ? 5_000 : 200_000));
      await deps.db.insertInto('embedded_tables').values({ id: newId(), datasource_id: EMBEDDED_DATASOURCE_ID, table_name: 'bench_cluster_sales', display_name: 'bench', source_file: 'bench.csv', row_count: 0, fields_json: JSON.stringify(FIELDS), created_by: null, created_at: nowIso(), updated_at: nowIso() }).execute();
      const datasetId = newId();
      await deps.db
        .insertInto('datasets')
        .values({ id: datasetId, name: 'bench', datasource_id: EMBEDDED_DATASOURCE_ID, kind: 'table', table_name: 'bench_cluster_sales', sql: null, fields_json: JSON.stringify(FIELDS), created_by: null, created_at: nowIso(), updated_at: nowIso() })
        .execute();
      const layout = { x: 0, y: 0, w: 6, h: 4 };
      const definition = ReportDefinitionSchema.parse({
        filters: [],
        widgets: [
          { id: 'kpi', kind: 'kpi', title: 'total', datasetId, query: { measures: [{ field: 'amount', agg: 'sum' }] }, layout },
          { id: 'bar', kind: 'bar', title: 'by region', datasetId, query: { dimensions: [{ field: 'region' }], measures: [{ field: 'amount', agg: 'sum' }] }, layout },
          { id: 'line', kind: 'line', title: 'by month', datasetId, query: { dimensions: [{ field: 'order_date', grain: 'month' }], measures: [{ field: 'amount', agg: 'sum' }] }, layout },
          { id: 'table', kind: 'table', title: 'detail', datasetId, query: { columns: ['order_date', 'region', 'amount'], sort: [{ key: 'amount', dir: 'desc' }], limit: 50 }, layout },
        ],
      });
      reportId = await insertReport(deps.db, { name: 'bench', description: null, definition, createdBy: null });
      await insertUser(deps.db, { username: 'bench-admin', displayName: 'bench', role: 'admin', passwordHash: await hashPassword('bench-password') });
    } finally {
      await deps.close();
    }

    const rows: BenchRow[] = [];
    const figures: Record<'login' | 'open', Run[]> = { login: [], open: [] };
    for (const count of [1, 2]) {
      const lb = await balancer(path.join(tmp, `nginx${count}`), procs.slice(0, count).map((p) => p.ready.url.replace(/^http:\/\//, '')));
      try {
        const login = await fetch(`${lb.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password: 'bench-password', mode: 'token' }) });
        const token = ((await login.json()) as { data: { token: string } }).data.token;
        const codes = async (n: number) => (await sim.ask({ type: 'mint', count: n }, 'codes')).codes.map((code) => JSON.stringify({ code }));
        const loginRun = async (n: number) => {
          const bodies = await codes(n);
          let i = 0;
          return load({ url: `${lb.url}/api/wecom/login`, amount: n, requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (r) => ({ ...r, body: bodies[i++]! }) }] });
        };
        let w = 0;
        const openRun = (n: number) =>
          load({
            url: lb.url,
            amount: n * widgets.length,
            requests: [{ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ filters: {} }), setupRequest: (r) => ({ ...r, path: `/api/reports/${reportId}/widgets/${widgets[w++ % widgets.length]}/data` }) }],
          });
        await loginRun(Math.min(300, logins)); // warm-up: JIT, pools, the shared token
        await openRun(Math.min(50, opens)); // warm-up: each instance loads the table and caches results
        figures.login.push(await loginRun(logins));
        const open = await openRun(opens);
        figures.open.push({ rps: open.rps / widgets.length, p99: open.p99 });
      } finally {
        await lb.stop();
      }
    }
    const [l1, l2] = figures.login as [Run, Run];
    const [o1, o2] = figures.open as [Run, Run];
    rows.push(
      { figure: 'cluster: passwordless logins through nginx, 1 instance', value: `${l1.rps.toFixed(0)} req/s, p99 ${l1.p99} ms`, baseline: '—', ratio: '1.00×', goal: '—', db: 'postgres' },
      { figure: 'cluster: passwordless logins through nginx, 2 instances', value: `${l2.rps.toFixed(0)} req/s, p99 ${l2.p99} ms`, baseline: `1 instance ${l1.rps.toFixed(0)} req/s`, ratio: `${(l2.rps / l1.rps).toFixed(2)}×`, goal: '≥ 0.9×', db: 'postgres' },
      { figure: 'cluster: report opens (4 widgets) through nginx, 1 instance', value: `${o1.rps.toFixed(0)} opens/s, p99 ${o1.p99} ms`, baseline: '—', ratio: '1.00×', goal: '—', db: 'postgres' },
      { figure: 'cluster: report opens (4 widgets) through nginx, 2 instances', value: `${o2.rps.toFixed(0)} opens/s, p99 ${o2.p99} ms`, baseline: `1 instance ${o1.rps.toFixed(0)} opens/s`, ratio: `${(o2.rps / o1.rps).toFixed(2)}×`, goal: '≥ 0.9×', db: 'postgres' },
    );
    return rows;
  } finally {
    for (const p of procs) await p.stop();
    await sim.stop();
    await redis.stop();
    await pgDb.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchCluster({ quick: process.argv.includes('--quick') });
  for (const r of rows) console.log([r.figure, r.value, r.baseline, r.ratio, r.goal].join(' | '));
  process.exit(0);
}
