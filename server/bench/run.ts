// `npm run bench`: each figure printed with its ratio to a bare Fastify handler measured in the
// same run, so the numbers compare across machines. Not part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps } from '../src/deps.js';
import { insertUser } from '../src/users/userRepo.js';
import { medianMs, printRow, startBareServer, throughput } from './harness.js';
import { benchReportOpen } from './reportOpen.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-bench-'));
const config = { ...loadConfig({ SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_SAMPLE_CONTENT: '0' }) };
const deps = createDeps(config);
await migrate(deps.db);
const app = await buildApp(deps, { logger: false, webDist: null });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const bare = await startBareServer();

console.log(`Shulan bench — ${os.cpus().length} cores, Node ${process.version}, app db: SQLite file\n`);
printRow('figure', 'value', 'ratio to bare handler');

const bareGet = await throughput({ url: `${bare.url}/bare` });
printRow('bare handler GET (baseline)', `${bareGet.rps.toFixed(0)} req/s`, '1.00×');
const bareLatency = await medianMs(200, () => fetch(`${bare.url}/bare`).then((r) => r.text()));
printRow('bare handler latency (baseline)', `${bareLatency.toFixed(2)} ms`, '1.00×');

await insertUser(deps.db, { username: 'bench', displayName: 'bench', role: 'admin', passwordHash: await hashPassword('bench-password') });
const login = await throughput({
  url: `${url}/api/auth/login`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench', password: 'bench-password', mode: 'token' }),
  connections: 4,
});
printRow('login (argon2id verify + session)', `${login.rps.toFixed(0)} req/s`, `${(login.rps / bareGet.rps).toFixed(4)}× throughput`);

const me = await fetch(`${url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench', password: 'bench-password', mode: 'token' }),
}).then((r) => r.json() as Promise<{ data: { token: string } }>);
const auth = { authorization: `Bearer ${me.data.token}` };
const authed = await throughput({ url: `${url}/api/auth/me`, headers: auth });
printRow('authenticated GET /api/auth/me', `${authed.rps.toFixed(0)} req/s`, `${(authed.rps / bareGet.rps).toFixed(2)}× throughput`);

await benchReportOpen({ deps, url, auth, bareLatency, rows: Number(process.env.BENCH_ROWS ?? 1_000_000) });

await app.close();
await bare.app.close();
await deps.close();
fs.rmSync(dataDir, { recursive: true, force: true });
