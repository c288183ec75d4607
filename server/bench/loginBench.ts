// The 9:00 passwordless login burst: POST /api/wecom/login (wx.qy.login code → session) with 100
// concurrent clients, on SQLite and PostgreSQL. Runnable alone: `tsx server/bench/loginBench.ts [--quick]`.
//
// Each server (bare Fastify, the WeCom simulator, Shulan) runs in its own child process, so
// autocannon here does not share their event loop, and "CPU per login" is the Shulan process's own
// process.cpuUsage() (user + system) over the run divided by the logins: everything the server
// spends on a login (HTTP, validation, WeCom call, database client, JSON, GC), nothing of the
// simulator's or the database server's.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freshPostgres } from '../test/testDb.js';
import type { BenchRow } from './benchRow.js';
import type { ProcReply, ProcRequest } from './loginProcs.js';

const PROCS = fileURLToPath(new URL('./loginProcs.ts', import.meta.url));
const CONNECTIONS = 100;

interface Proc {
  child: ChildProcess;
  ready: Extract<ProcReply, { type: 'ready' }>;
  ask<T extends ProcReply['type']>(req: ProcRequest, reply: T): Promise<Extract<ProcReply, { type: T }>>;
  stop(): Promise<void>;
}

async function startProc(mode: 'bare' | 'sim' | 'app', env: Record<string, string> = {}): Promise<Proc> {
  const child = fork(PROCS, [mode], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [])], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    child,
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
  p50: number;
  p99: number;
  requests: number;
}

/** Sends exactly `bodies.length` POSTs (one body each) over CONNECTIONS connections. */
async function post(url: string, bodies: string[]): Promise<Run> {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: bodies.length,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

/** The simulator's own jscode2session rate: the ceiling of any login figure. */
async function simCodeRate(sim: Proc, n: number): Promise<Run> {
  const { corpId, secret } = sim.ready;
  const tok = (await (await fetch(`${sim.ready.url}/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${secret}`)).json()) as { access_token: string };
  const { codes } = await sim.ask({ type: 'mint', count: n }, 'codes');
  let i = 0;
  const r = await autocannon({
    url: sim.ready.url,
    connections: CONNECTIONS,
    amount: n,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/cgi-bin/miniprogram/jscode2session?access_token=${tok.access_token}&js_code=${codes[i++]}&grant_type=authorization_code` }) }],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`simulator: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

async function loginRun(sim: Proc, app: Proc, n: number): Promise<Run & { cpuMs: number }> {
  const { codes } = await sim.ask({ type: 'mint', count: n }, 'codes');
  const bodies = codes.map((code) => JSON.stringify({ code }));
  const before = (await app.ask({ type: 'cpu' }, 'cpu')).micros;
  const run = await post(`${app.ready.url}/api/wecom/login`, bodies);
  const after = (await app.ask({ type: 'cpu' }, 'cpu')).micros;
  return { ...run, cpuMs: (after - before) / 1000 / run.requests };
}

/** Null when no PostgreSQL answers: the login figure then runs on SQLite only. */
async function freshPg(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  return freshPostgres('shulan_bench').catch(() => null);
}

const fmtRatio = (x: number) => `${x.toFixed(3)}×`;

/**
 * opts.bareRps / bareLatencyMs (run.ts's in-process GET baseline) are not used: the login is divided
 * by a bare POST measured here in the same shape (own process, 100 connections, same client).
 * Note: on a loaded 2-core machine one autocannon process caps near 3,000 req/s, so the bare figure
 * is the client's ceiling too; CPU per request (server side) is the figure that does not depend on it.
 */
export async function benchLogin(opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  const n = opts.quick ? 3000 : 20_000;
  const members = opts.quick ? 500 : 5000;
  const rows: BenchRow[] = [];
  const sim = await startProc('sim', { BENCH_MEMBERS: String(members) });
  const bare = await startProc('bare');
  try {
    // Same shape as the login (POST, 100 connections, a server alone in its process), measured in this run.
    const bodies = Array.from({ length: 200 }, () => JSON.stringify({ code: randomBytes(24).toString('base64url') }));
    await post(`${bare.ready.url}/bare`, bodies.slice(0, 100));
    const bareRun = await post(`${bare.ready.url}/bare`, Array.from({ length: n * 2 }, (_, i) => bodies[i % 200]!));
    const bareCpu0 = (await bare.ask({ type: 'cpu' }, 'cpu')).micros;
    const bareRun2 = await post(`${bare.ready.url}/bare`, Array.from({ length: n }, (_, i) => bodies[i % 200]!));
    const bareCpuMs = ((await bare.ask({ type: 'cpu' }, 'cpu')).micros - bareCpu0) / 1000 / bareRun2.requests;
    const bareRps = Math.max(bareRun.rps, bareRun2.rps);
    rows.push({ figure: 'bare Fastify POST, 100 concurrent (baseline)', value: `${bareRps.toFixed(0)} req/s, p99 ${bareRun.p99} ms, ${bareCpuMs.toFixed(3)} ms CPU/req`, baseline: '—', ratio: '1.00×', goal: '—' });
    const simRun = await simCodeRate(sim, n);
    rows.push({ figure: 'simulator jscode2session, 100 concurrent (ceiling)', value: `${simRun.rps.toFixed(0)} req/s, p99 ${simRun.p99} ms`, baseline: `${bareRps.toFixed(0)} req/s bare`, ratio: fmtRatio(simRun.rps / bareRps), goal: '—' });

    for (const db of ['sqlite', 'postgres'] as const) {
      const pgDb = db === 'postgres' ? await freshPg() : null;
      if (db === 'postgres' && !pgDb) {
        rows.push({ figure: 'passwordless login', value: 'skipped: no PostgreSQL at TEST_PG_URL', baseline: '—', ratio: '—', goal: '—', db });
        continue;
      }
      const app = await startProc('app', {
        BENCH_SIM_URL: sim.ready.url,
        BENCH_CORP_ID: sim.ready.corpId!,
        BENCH_APP_ID: sim.ready.appId!,
        BENCH_SECRET: sim.ready.secret!,
        BENCH_MEMBERS: String(members),
        SHULAN_DATABASE_URL: pgDb?.url ?? '',
      });
      try {
        await loginRun(sim, app, Math.min(2000, n)); // warm-up: JIT, token, pools
        const r = await loginRun(sim, app, n);
        rows.push({ figure: 'passwordless login (code → session), 100 concurrent', value: `${r.rps.toFixed(0)} req/s`, baseline: `${bareRps.toFixed(0)} req/s bare; sim ${simRun.rps.toFixed(0)}`, ratio: `${fmtRatio(r.rps / bareRps)} (${fmtRatio(r.rps / simRun.rps)} of sim)`, goal: '≥ 0.25×', db });
        rows.push({ figure: 'passwordless login latency p50 / p99', value: `${r.p50} / ${r.p99} ms`, baseline: `bare p99 ${bareRun.p99} ms`, ratio: '—', goal: 'p99 < 20 ms', db });
        rows.push({ figure: 'server CPU per passwordless login', value: `${r.cpuMs.toFixed(3)} ms`, baseline: `bare ${bareCpuMs.toFixed(3)} ms/req`, ratio: `${(r.cpuMs / bareCpuMs).toFixed(1)}× bare`, goal: '≤ 0.2 ms', db });
      } finally {
        await app.stop();
        await pgDb?.drop();
      }
    }
  } finally {
    await sim.stop();
    await bare.stop();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchLogin({ quick: process.argv.includes('--quick'), bareRps: 0, bareLatencyMs: 0 });
  for (const r of rows) console.log([r.db ?? '', r.figure, r.value, r.baseline, r.ratio, r.goal].join(' | '));
}
