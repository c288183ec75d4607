// Sync figures of issue 11: a full address-book sync of 100k members / 5k departments, and a
// resync with nothing changed, on loopback and with 25 ms WeCom round trips; SQLite and PostgreSQL.
// The simulator and the Shulan instance each run in their own process, so the peak RSS is the
// server's alone. Baseline: the same WeCom listing fetched by a bare client with the same
// concurrency and no database (what the network and the simulator cost by themselves).
// Alone: `tsx server/bench/syncBench.ts [--quick]`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgres } from '../test/testDb.js';
import { generateCorp } from '@shulan/wecom-sim';
import type { BenchRow } from './benchRow.js';
import { SYNC_CONCURRENCY } from '../src/wecom/sync/addressBook.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const simBin = path.resolve(here, '../../wecom-sim/bin/shulan-wecom-sim.mjs');
const tsxBin = path.resolve(here, '../../node_modules/.bin/tsx');

interface ServerResult {
  firstMs: number;
  firstCpuMs: number;
  resyncCpuMs: number;
  firstCounts: Record<string, number>;
  resyncMs: number;
  resyncCounts: Record<string, number>;
  rssBeforeMb: number;
  peakRssMb: number;
  peakRssAfterResyncMb: number;
  storedMembers: number;
}

/** Runs a child to its end; resolves with its stdout (rejects with stderr on failure). */
function runChild(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(args[0] ?? cmd)} exited ${code}: ${err || out}`))));
  });
}

/** Starts the simulator CLI on a free port; resolves once it listens. */
function startSim(corpFile: string, latency: string | null): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const args = [simBin, '--port', '0', '--corp', corpFile, ...(latency ? ['--latency', latency] : [])];
    const child = spawn(process.execPath, ['--max-old-space-size=4096', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}: ${out}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function freshPg(): Promise<{ url: string; drop: () => Promise<void> }> {
  return freshPostgres('shulan_bench');
}

/** The WeCom listing alone: department/list, then every user/list, SYNC_CONCURRENCY at a time. */
async function rawListingMs(simUrl: string, corpid: string, secret: string): Promise<number> {
  const t0 = performance.now();
  const tok = (await (await fetch(`${simUrl}/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${encodeURIComponent(secret)}`)).json()) as { access_token: string };
  const depts = (await (await fetch(`${simUrl}/cgi-bin/department/list?access_token=${tok.access_token}`)).json()) as { department: { id: number }[] };
  const ids = depts.department.map((d) => d.id);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const r = await fetch(`${simUrl}/cgi-bin/user/list?access_token=${tok.access_token}&department_id=${id}`);
      const j = (await r.json()) as { errcode: number };
      if (j.errcode !== 0) throw new Error(`user/list ${id}: ${j.errcode}`);
    }
  };
  await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
  return performance.now() - t0;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const written = (c: Record<string, number>) =>
  (c.departmentsAdded ?? 0) + (c.departmentsChanged ?? 0) + (c.departmentsRemoved ?? 0) + (c.membersAdded ?? 0) + (c.membersChanged ?? 0) + (c.membersLeft ?? 0);

export async function benchSync(opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  const members = opts.quick ? 2_000 : Number(process.env.BENCH_SYNC_MEMBERS ?? 100_000);
  const departments = opts.quick ? 100 : Number(process.env.BENCH_SYNC_DEPARTMENTS ?? 5_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-syncbench-corp-'));
  const corpFile = path.join(dir, 'corp.json');
  const fixture = generateCorp({ members, departments, seed: 11 });
  fs.writeFileSync(corpFile, JSON.stringify(fixture));
  const mini = fixture.apps.find((a) => a.kind === 'miniprogram');
  if (!mini?.appid) throw new Error('generated corp without a mini program');
  const size = `${(members / 1000).toFixed(members < 10_000 ? 1 : 0)}k members / ${departments >= 1000 ? `${departments / 1000}k` : departments} departments`;

  const cases: { db: 'sqlite' | 'postgres'; latency: string | null }[] = [
    { db: 'sqlite', latency: null },
    { db: 'postgres', latency: null },
    { db: 'sqlite', latency: '25' },
  ];
  const rows: BenchRow[] = [];
  try {
    for (const c of cases) {
      const sim = await startSim(corpFile, c.latency);
      const pgDb = c.db === 'postgres' ? await freshPg() : null;
      try {
        const baseline = await rawListingMs(sim.url, fixture.corpid, mini.secret);
        const out = await runChild(tsxBin, [path.join(here, 'syncBenchServer.ts')], {
          SIM_URL: sim.url,
          CORP_ID: fixture.corpid,
          APP_ID: mini.appid,
          SECRET: mini.secret,
          ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
        });
        const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ServerResult;
        const where = c.latency ? `, ${c.latency} ms WeCom round trips` : ', simulator on loopback';
        rows.push({
          figure: `full sync ${size}${where}`,
          value: `${s(r.firstMs)} (server CPU ${s(r.firstCpuMs)}), peak RSS ${r.peakRssMb.toFixed(0)} MB (idle ${r.rssBeforeMb.toFixed(0)} MB; ${r.storedMembers} stored)`,
          baseline: `${s(baseline)} bare listing`,
          ratio: `${(r.firstMs / baseline).toFixed(2)}×`,
          goal: c.latency ? '< 15 s' : '< 5 s, < 250 MB',
          db: c.db,
        });
        rows.push({
          figure: `no-change resync${where}`,
          value: `${s(r.resyncMs)} (server CPU ${s(r.resyncCpuMs)}), ${written(r.resyncCounts)} rows written, peak RSS ${r.peakRssAfterResyncMb.toFixed(0)} MB`,
          baseline: `${s(baseline)} bare listing`,
          ratio: `${(r.resyncMs / baseline).toFixed(2)}×`,
          goal: '0 rows, < 3 s',
          db: c.db,
        });
      } finally {
        await stopChild(sim.child);
        await pgDb?.drop();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await benchSync({ quick: process.argv.includes('--quick'), bareRps: 0, bareLatencyMs: 0 });
  for (const r of rows) console.log(`${r.figure} [${r.db}]\n  ${r.value}  | baseline ${r.baseline}  | ${r.ratio}  | goal ${r.goal}`);
}
