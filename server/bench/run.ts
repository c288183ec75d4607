// `npm run bench [-- --quick] [-- --out FILE]`: every figure of issue 11 in one table, each next to
// its baseline measured in the same run (a bare Fastify handler, raw DuckDB, a bare Fastify process…),
// printed and written to bench/results.md with the machine it ran on. Not part of `npm test`;
// `--quick` (small sizes) is the CI smoke test (server/bench/quickBench.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './benchRow.js';
import { fmt, formatTable, machine, medianMs, startBareServer, throughput } from './harness.js';

type FigureOpts = { quick: boolean; bareRps: number; bareLatencyMs: number };
type FigureModule = { title: string; file: string; fn: string };

// ─── Figure modules ────────────────────────────────────────────────────────────────────────────
// One entry per server/bench/<area>Bench.ts exporting `bench<Area>(opts): Promise<BenchRow[]>`.
// A listed file that is not in the tree yet shows as "not merged" in the table. LEAD: add any new
// figure module here after merging.
const FIGURES: FigureModule[] = [
  { title: 'passwordless login', file: 'loginBench.ts', fn: 'benchLogin' },
  { title: 'WeCom address-book sync', file: 'syncBench.ts', fn: 'benchSync' },
  { title: 'matching preview and user import', file: 'matchBench.ts', fn: 'benchMatch' },
  { title: 'report open', file: 'reportOpen.ts', fn: 'benchReportOpen' },
  { title: 'dashboard open (12 widgets)', file: 'dashboardBench.ts', fn: 'benchDashboard' },
  { title: 'web login page', file: 'webBench.ts', fn: 'benchWeb' },
  { title: 'idle server memory', file: 'idleBench.ts', fn: 'benchIdle' },
  { title: 'cluster (1 vs 2 instances through nginx)', file: 'clusterBench.ts', fn: 'benchCluster' },
];
// ───────────────────────────────────────────────────────────────────────────────────────────────

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outArg = args.indexOf('--out');
const out = outArg >= 0 ? path.resolve(args[outArg + 1]!) : quick ? null : path.resolve(here, '../../bench/results.md');
const only = process.env.BENCH_ONLY?.split(',');

const header = `Shulan bench${quick ? ' (--quick: small sizes, a smoke test, not the figures)' : ''} — ${machine()}`;
console.log(`${header}\n`);

const bare = await startBareServer();
const bareGet = await throughput({ url: `${bare.url}/bare`, duration: quick ? 1 : 5 });
const bareLatencyMs = await medianMs(quick ? 50 : 500, () => fetch(`${bare.url}/bare`).then((r) => r.text()));
await bare.app.close();
const rows: BenchRow[] = [
  { figure: 'bare Fastify handler, GET, 20 connections (baseline)', value: `${bareGet.rps.toFixed(0)} req/s`, baseline: '—', ratio: '1.00×', goal: '—' },
  { figure: 'bare Fastify handler, sequential latency (baseline)', value: fmt.ms(bareLatencyMs), baseline: '—', ratio: '1.00×', goal: '—' },
];
const opts: FigureOpts = { quick, bareRps: bareGet.rps, bareLatencyMs };
const notMerged: string[] = [];
const failed: string[] = [];

for (const f of FIGURES) {
  if (only && !only.some((o) => f.file.startsWith(o))) continue;
  if (!fs.existsSync(path.join(here, f.file))) {
    notMerged.push(f.title);
    rows.push({ figure: `${f.title}: ${f.file} not merged yet`, value: '—', baseline: '—', ratio: '—', goal: '—' });
    continue;
  }
  console.error(`… ${f.title}`);
  try {
    const mod = (await import(`./${f.file.replace(/\.ts$/, '.js')}`)) as Record<string, (o: FigureOpts) => Promise<BenchRow[]>>;
    const run = mod[f.fn];
    if (typeof run !== 'function') throw new Error(`${f.file} does not export ${f.fn}`);
    rows.push(...(await run(opts)));
  } catch (err) {
    failed.push(f.title);
    console.error(`${f.title} failed:`, err);
    rows.push({ figure: `${f.title}: FAILED (${(err as Error).message.split('\n')[0]})`, value: '—', baseline: '—', ratio: '—', goal: '—' });
  }
}

const table = formatTable(rows);
console.log(table);
if (out) {
  const notes = fs.existsSync(path.join(here, 'notes.md')) ? `\n${fs.readFileSync(path.join(here, 'notes.md'), 'utf8')}` : '';
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `# Shulan bench${quick ? ' (--quick)' : ''}\n\nMachine: ${machine()}\n\n${table}\n${notes}`);
  // Machine-readable copy for the smoke test.
  fs.writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify({ quick, notMerged, failed, rows }, null, 2));
  console.log(`\nwritten to ${out}`);
}
process.exit(failed.length ? 1 : 0);
