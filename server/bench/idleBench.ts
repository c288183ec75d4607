// Idle server memory: `shulan start` as production runs it (the server bundle, scripts/bundle.ts,
// with plain node) in its own process, a few requests answered, then its resident set once it
// settles. Baseline: a bare Fastify process started the same way (plain node).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './benchRow.js';
import { bundleServer } from '../scripts/bundle.js';
import { benchDatabase, fmt } from './harness.js';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** Starts `args` with node, waits until /api/site answers, makes a few requests, returns the settled RSS. */
async function idleRss(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { cwd: SERVER, env: { ...process.env, ...env, SHULAN_PORT: String(port), SHULAN_HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(-500)}`);
      if (Date.now() > deadline) throw new Error('server did not answer within 60 s');
      const ok = await fetch(`${url}/api/site`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 20; i++) {
      await fetch(`${url}/api/site`).then((r) => r.arrayBuffer());
      await fetch(`${url}/login`).then((r) => r.arrayBuffer());
    }
    // Idle: what the process holds once start-up work is over; read until two readings a second apart agree.
    let last = rssOf(child.pid!);
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = rssOf(child.pid!);
      if (Math.abs(now - last) < 1024 * 1024) return now;
      last = now;
    }
    return last;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

export async function benchIdle(_opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  const bare = await idleRss(['bench/bareProcess.mjs'], {});
  // Its own build (what `npm start` builds into server/dist), so the figure is of the current source.
  const { outDir } = await bundleServer(path.join(SERVER, 'test-artifacts', `bench-dist-${process.pid}`));
  const rows: BenchRow[] = [];
  try {
    for (const kind of ['sqlite', 'postgres'] as const) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-bench-idle-'));
      const db = await benchDatabase(kind, dataDir);
      try {
        const env: Record<string, string> = { SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'warn', SHULAN_SAMPLE_CONTENT: '0' };
        if (db.database.kind === 'postgres') env.SHULAN_DATABASE_URL = db.database.url;
        const rss = await idleRss([path.join(outDir, 'cli.mjs'), 'start'], env);
        rows.push({ figure: 'idle server RSS (shulan start, a few requests served)', db: kind, value: fmt.mb(rss), baseline: `bare Fastify ${fmt.mb(bare)}`, ratio: fmt.ratio(rss / bare), goal: '< 120 MB' });
      } finally {
        await db.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchIdle({ quick: process.argv.includes('--quick'), bareRps: 0, bareLatencyMs: 0 });
  for (const r of rows) console.log([r.db ?? '', r.figure, r.value, r.baseline, r.ratio, r.goal].join(' | '));
}
