// The "server process" of the sync bench: a Shulan instance (its deps, no HTTP) that runs a full
// sync against the simulator, then a resync with nothing changed, and prints what it measured as
// one JSON line. Its own process so its peak RSS is the server's alone (the simulator, holding the
// 100k-member corp, runs in another one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps } from '../src/deps.js';
import { WecomIntegration } from '../src/wecom/WecomIntegration.js';
import { syncServiceFor } from '../src/wecom/sync/SyncService.js';
import { writeWecomSettings } from '../src/wecom/wecomSettings.js';

const { SIM_URL, CORP_ID, APP_ID, SECRET, SYNC_SECRET, DATABASE_URL } = process.env;
if (!SIM_URL || !CORP_ID || !APP_ID || !SECRET) throw new Error('syncBenchServer: SIM_URL, CORP_ID, APP_ID and SECRET are required');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-syncbench-'));
const config = loadConfig({
  SHULAN_DATA_DIR: dataDir,
  SHULAN_LOG_LEVEL: 'silent',
  SHULAN_SAMPLE_CONTENT: '0',
  WECOM_API_BASE: SIM_URL,
  ...(DATABASE_URL ? { SHULAN_DATABASE_URL: DATABASE_URL } : {}),
});
const deps = createDeps(config);
await migrate(deps.db);
deps.wecom = new WecomIntegration(deps.db, deps.secretBox, { baseUrl: SIM_URL });
await writeWecomSettings(deps.db, {
  enabled: true,
  corpId: CORP_ID,
  appId: APP_ID,
  secretEnc: deps.secretBox.encrypt(SECRET),
  syncSecretEnc: SYNC_SECRET ? deps.secretBox.encrypt(SYNC_SECRET) : null,
});
const service = syncServiceFor(deps);

async function timedSync() {
  // WeCom allows 10,000 calls of an API per corp per minute (reference §4): a 5,000-department
  // listing fits once, not three times in a row. Real runs are hours apart; the bench starts the
  // simulator's windows afresh instead of waiting a minute.
  await fetch(`${SIM_URL}/__sim/rate-limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { done } = await service.start('manual');
  const outcome = await done;
  if (outcome.status !== 'ok') throw new Error(`sync failed: ${JSON.stringify(outcome.error)}`);
  const cpu = process.cpuUsage(cpu0);
  // CPU time of this process: what the sync costs the server, whatever else the machine runs.
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, counts: outcome.counts };
}

const rssBefore = process.memoryUsage().rss; // the idle instance, before any sync
const first = await timedSync();
const firstPeakKb = process.resourceUsage().maxRSS;
const resync = await timedSync();
const stored = await deps.db.selectFrom('wecom_members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(
  JSON.stringify({
    firstMs: first.ms,
    firstCpuMs: first.cpuMs,
    firstCounts: first.counts,
    resyncMs: resync.ms,
    resyncCpuMs: resync.cpuMs,
    resyncCounts: resync.counts,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakRssMb: firstPeakKb / 1024,
    peakRssAfterResyncMb: process.resourceUsage().maxRSS / 1024,
    storedMembers: Number(stored.n),
  }),
);
await deps.close();
fs.rmSync(dataDir, { recursive: true, force: true });
