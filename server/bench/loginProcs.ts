// Child processes of the login bench (server/bench/loginBench.ts): each server runs alone in its
// own process so that its CPU time (process.cpuUsage) is its own, and autocannon in the parent
// does not share its event loop. Started as `tsx loginProcs.ts <bare|sim|app>`; talks over IPC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { generateCorp, startSimulator } from '@shulan/wecom-sim';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps } from '../src/deps.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { WecomIntegration } from '../src/wecom/WecomIntegration.js';
import { writeWecomSettings } from '../src/wecom/wecomSettings.js';
import { redisLimiterStore } from '../src/http/routeRateLimit.js';
import { RedisTokenStore } from '../src/cluster/RedisTokenStore.js';
import { userMatchKeys } from '../src/wecom/matching/matchKeys.js';

export type ProcRequest = { type: 'cpu' } | { type: 'mint'; count: number } | { type: 'stop' };
export type ProcReply =
  | { type: 'ready'; url: string; corpId?: string; appId?: string; secret?: string; members?: number }
  | { type: 'cpu'; micros: number }
  | { type: 'codes'; codes: string[] };

const send = (m: ProcReply) => process.send!(m);
const mode = process.argv[2];
const members = Number(process.env.BENCH_MEMBERS ?? 1000);
let stop: () => Promise<void> = async () => {};
const extra: Record<string, (m: ProcRequest) => void> = {};

process.on('message', (m: ProcRequest) => {
  if (m.type === 'cpu') {
    const u = process.cpuUsage();
    send({ type: 'cpu', micros: u.user + u.system });
  } else if (m.type === 'stop') {
    void stop().then(() => process.exit(0));
  } else extra[m.type]?.(m);
});

if (mode === 'bare') {
  const app = Fastify({ logger: false });
  app.post('/bare', async () => ({ data: { ok: true } }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = () => app.close();
  send({ type: 'ready', url });
} else if (mode === 'sim') {
  const fixture = generateCorp({ members, seed: 11 });
  const mp = fixture.apps.find((a) => a.kind === 'miniprogram')!;
  const sim = await startSimulator({ corp: fixture });
  // The bench measures our side, not WeCom's quota: real WeCom allows 10,000 calls a minute per corp.
  sim.controls.setRateLimits({ corpPerMinute: 1e9, corpPerHour: 1e9, ipPerMinute: 1e9, ipPerHour: 1e9 });
  const userids = fixture.members.map((m) => m.userid);
  let next = 0;
  extra.mint = (m) => {
    if (m.type !== 'mint') return;
    const codes: string[] = [];
    for (let i = 0; i < m.count; i++) codes.push(sim.controls.issueLoginCode(userids[next++ % userids.length]!, mp.appid).code);
    send({ type: 'codes', codes });
  };
  stop = () => sim.close();
  send({ type: 'ready', url: sim.url, corpId: fixture.corpid, appId: mp.appid!, secret: mp.secret, members: userids.length });
} else if (mode === 'app') {
  // Env: BENCH_SIM_URL, BENCH_CORP_ID, BENCH_APP_ID, BENCH_SECRET, BENCH_MEMBERS, optional SHULAN_DATABASE_URL.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-loginbench-'));
  const config = loadConfig({
    SHULAN_DATA_DIR: dataDir,
    SHULAN_LOG_LEVEL: 'silent',
    SHULAN_SAMPLE_CONTENT: '0',
    WECOM_API_BASE: process.env.BENCH_SIM_URL,
    SHULAN_DATABASE_URL: process.env.SHULAN_DATABASE_URL ?? '',
    // The cluster figure (clusterBench.ts): instances sharing Redis and a shared dir.
    SHULAN_REDIS_URL: process.env.SHULAN_REDIS_URL ?? '',
    SHULAN_SHARED_DIR: process.env.SHULAN_SHARED_DIR ?? '',
    SHULAN_SECRET_KEY: process.env.SHULAN_SECRET_KEY ?? '',
  });
  const deps = createDeps(config);
  await migrate(deps.db);
  await deps.cluster.redis?.ready();
  const redis = deps.cluster.redis;
  // A burst of a whole company from one office address: the caps are the subject of their own tests.
  deps.wecom = new WecomIntegration(deps.db, deps.secretBox, {
    baseUrl: config.wecomApiBase,
    loginLimits: { login: { perIpPerMinute: 1e9, totalPerMinute: 1e9 }, bind: { perIpPerMinute: 1e9, totalPerMinute: 1e9 } },
    // In a cluster the limits, the token and the pauses go through Redis, as in production.
    ...(redis ? { limiterStore: redisLimiterStore(redis), sharedTokens: new RedisTokenStore(redis, deps.secretBox), bus: deps.cluster.bus } : {}),
  });
  // Another instance of the same cluster already stored everything below.
  const seeded = process.env.BENCH_NO_SEED === '1';
  if (!seeded) await writeWecomSettings(deps.db, {
    enabled: true,
    corpId: process.env.BENCH_CORP_ID!,
    appId: process.env.BENCH_APP_ID!,
    secretEnc: deps.secretBox.encrypt(process.env.BENCH_SECRET!),
  });
  // Every member bound to an active viewer (generateCorp's userids are the fixture's, seed 11).
  const fixture = generateCorp({ members, seed: 11 });
  const now = nowIso();
  const rows = fixture.members.map((m) => ({ id: newId(), userid: m.userid, name: m.name }));
  for (let i = 0; !seeded && i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await deps.db
      .insertInto('users')
      .values(
        chunk.map((r) => ({
          id: r.id,
          username: `u_${r.userid}`,
          username_key: `u_${r.userid}`.toLowerCase(),
          display_name: r.name,
          mobile: null,
          email: null,
          role: 'viewer' as const,
          status: 'active' as const,
          password_hash: 'x',
          created_at: now,
          updated_at: now,
          ...userMatchKeys({ display_name: r.name, mobile: null }),
        })),
      )
      .execute();
    await deps.db
      .insertInto('wecom_bindings')
      .values(chunk.map((r) => ({ user_id: r.id, wecom_userid: r.userid, source: 'manual' as const, matched_at: now, matched_by: null })))
      .execute();
  }
  const app = await buildApp(deps, { logger: false, webDist: null });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  stop = async () => {
    await app.close();
    await deps.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  send({ type: 'ready', url });
} else {
  throw new Error(`loginProcs: unknown mode ${mode}`);
}
