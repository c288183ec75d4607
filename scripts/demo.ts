// `npm run demo`: Shulan plus the WeCom simulator with a sample corp (320 members, duplicate
// names), the integration configured and BI users waiting to be matched — press 立即同步, match,
// and watch the personnel list fill in. Data lives in ./data-demo (delete it to start over).
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_CORP_PATH, startSimulator } from '@shulan/wecom-sim';
import { buildApp } from '../server/src/app.js';
import { hashPassword } from '../server/src/auth/passwords.js';
import { bootstrap } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { migrate } from '../server/src/db/createDb.js';
import { createDeps } from '../server/src/deps.js';
import { findUserByUsername, insertUser } from '../server/src/users/userRepo.js';
import { readWecomSettings, writeWecomSettings } from '../server/src/wecom/wecomSettings.js';
import { demoDisabledMemberLosesAccess } from './demoRealtime.js';
import { startSubscriptionScheduler } from '../server/src/wecom/subscriptions/runner.js';
import { demoReportCard } from './demoCards.js';

const SIM_PORT = Number(process.env.DEMO_SIM_PORT ?? 9100);
const ADMIN_PASSWORD = process.env.SHULAN_ADMIN_PASSWORD ?? 'admin12345';
const DEMO_USER_PASSWORD = 'demo12345';

const sim = await startSimulator({ corp: SAMPLE_CORP_PATH, port: SIM_PORT, host: '127.0.0.1' });
const config = loadConfig({
  ...process.env,
  SHULAN_DATA_DIR: process.env.SHULAN_DATA_DIR ?? path.resolve('data-demo'),
  SHULAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
  WECOM_API_BASE: sim.url,
});
const deps = createDeps(config);
await migrate(deps.db);
await bootstrap(deps);

const app = sim.corp.apps.find((a) => a.kind === 'miniprogram');
if (!app?.appid) throw new Error('the sample corp has no mini program app');
const current = await readWecomSettings(deps.db);
if (!current.corpId) {
  await writeWecomSettings(deps.db, { enabled: true, corpId: sim.corp.corpid, appId: app.appid, secretEnc: deps.secretBox.encrypt(app.secret) });
}

// BI users for the first 40 members: half with their mobile (match by mobile), all with their
// name (match by name; the corp has duplicate names, which the preview must report).
const members = [...sim.corp.members.values()].slice(0, 40);
const passwordHash = await hashPassword(DEMO_USER_PASSWORD);
let created = 0;
for (const [i, m] of members.entries()) {
  const username = m.userid.toLowerCase();
  if (await findUserByUsername(deps.db, username)) continue;
  await insertUser(deps.db, { username, displayName: m.name, mobile: i % 2 === 0 ? (m.mobile ?? null) : null, role: 'viewer', passwordHash });
  created++;
}

const server = await buildApp(deps);
await server.listen({ port: config.port, host: config.host });
fs.mkdirSync(config.dataDir, { recursive: true });
console.log(`
  数览 Shulan demo
  ─────────────────────────────────────────────
  Shulan          http://localhost:${config.port}   (admin / ${ADMIN_PASSWORD})
  WeCom simulator ${sim.url}   corp ${sim.corp.corpid}, mini program AppID ${app.appid}
  ${created ? `${created} BI users created (password ${DEMO_USER_PASSWORD}) to match with WeCom members.` : 'BI users already created.'}

  Try: 系统设置 → 企业微信集成设置 → 测试连接 / 立即同步, then 企业微信匹配, then 人员信息.
  A mini-program login code for a member:
    curl -s -XPOST ${sim.url}/__sim/login-code -H 'content-type: application/json' -d '{"userid":"${members[0]?.userid ?? 'TanLiang'}"}'
`);

// Real-time directory changes: a member disabled in WeCom loses access without a sync.
const demoMember = members.find((m) => m.status === 1);
if (demoMember) {
  await demoDisabledMemberLosesAccess({ deps, sim, shulanUrl: `http://127.0.0.1:${config.port}`, userid: demoMember.userid, password: DEMO_USER_PASSWORD }).catch((e: unknown) =>
    console.error('  real-time demo failed:', e instanceof Error ? e.message : e),
  );
}
// Report cards: scheduled subscriptions fire while the demo runs; one card is sent right away.
const cards = await startSubscriptionScheduler(deps);
await demoReportCard(deps, sim, [members[0]!.userid.toLowerCase(), members[1]!.userid.toLowerCase()]);

const stop = async () => {
  cards.stop();
  await server.close();
  await deps.close();
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
