#!/usr/bin/env node
// `npm test`: the server suite on SQLite and on PostgreSQL, the public-domain gate through a real
// nginx, the web build, the browser end-to-end suite, then the bench's --quick smoke run. Prints one closing "N passed, N failed"
// line summing every run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-test-results-'));
const only = process.argv.slice(2);
// The gate test runs Debian's nginx and openssl; install them when missing (as root), else fail loudly.
const needNginx = [
  'bash',
  ['-c', '{ [ -x /usr/sbin/nginx ] && command -v openssl >/dev/null; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null; }'],
];
// The cluster tests (server/src/cluster, server/test/deploy/cluster.test.ts) start their own
// redis-server; the LDAP login tests (server and e2e) start Debian's slapd on a free port.
// Install both when missing.
const needServices = [
  'bash',
  [
    '-c',
    '{ command -v redis-server >/dev/null && [ -x /usr/sbin/slapd ] && command -v ldapadd >/dev/null; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server slapd ldap-utils >/dev/null; }',
  ],
];
const runs = [
  { name: 'server-sqlite', args: ['--project', 'server'], env: { TEST_DB: 'sqlite' }, before: needServices },
  { name: 'server-postgres', args: ['--project', 'server'], env: { TEST_DB: 'postgres' }, before: needServices },
  { name: 'deploy', args: ['--project', 'deploy'], env: {}, before: needNginx },
  { name: 'wecom-sim', args: ['--project', 'wecom-sim'], env: {} },
  { name: 'miniprogram', args: ['--project', 'miniprogram'], env: {} },
  { name: 'web', args: ['--project', 'web'], env: {} },
  { name: 'e2e', args: ['--project', 'e2e'], env: {}, before: ['npm', ['run', 'build', '-w', '@shulan/web']] },
  // The bench's --quick mode: it still runs and every figure comes out (not whether goals are met).
  { name: 'bench-quick', args: ['--project', 'bench'], env: {}, before: ['npm', ['run', 'build', '-w', '@shulan/web']] },
].filter((r) => only.length === 0 || only.includes(r.name));

// Two lanes run side by side (each suite in its own vitest process, one after another within a
// lane): most suites wait on databases, browsers and child processes, so two at once use the two
// cores far better than one. SHULAN_TEST_SERIAL=1 runs everything in one lane.
// The bench smoke test times its figures against a 170 s limit: it runs alone, after the lanes.
const LANES = process.env.SHULAN_TEST_SERIAL
  ? [runs.map((r) => r.name).filter((n) => n !== 'bench-quick')]
  : [
      ['server-sqlite', 'deploy', 'wecom-sim', 'web', 'e2e'],
      ['server-postgres', 'miniprogram'],
    ];
const LAST = ['bench-quick'];

let passed = 0;
let failed = 0;
let broken = false;
const started = Date.now();
const minutes = (ms) => `${(ms / 60_000).toFixed(1)} min`;

/** Runs a command, its output kept in a file and printed whole when it ends (lanes do not interleave). */
function runLogged(cmd, args, env, label) {
  const log = path.join(outDir, `${label}.log`);
  const fd = fs.openSync(log, 'w');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env });
  return new Promise((resolve) => {
    child.on('close', (status) => {
      fs.closeSync(fd);
      process.stdout.write(fs.readFileSync(log, 'utf8'));
      resolve(status);
    });
  });
}

// The web build that e2e and the bench smoke test serve, once, before the lanes start.
const builds = new Map();
for (const run of runs) {
  if (!run.before) continue;
  const key = JSON.stringify(run.before);
  if (!builds.has(key)) builds.set(key, run.before);
}
for (const [key, [cmd, args]] of builds) {
  const b = spawnSync(cmd, args, { stdio: 'inherit' });
  if (b.status !== 0) {
    console.error(`preparation step failed: ${key}`);
    for (const run of runs) if (JSON.stringify(run.before) === key) run.failedBefore = true;
  }
}

async function runSuite(run) {
  const t0 = Date.now();
  if (run.failedBefore) {
    console.error(`${run.name}: preparation step failed`);
    broken = true;
    return;
  }
  const out = path.join(outDir, `${run.name}.json`);
  const status = await runLogged(
    'npx',
    ['vitest', 'run', ...run.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { ...process.env, ...run.env },
    run.name,
  );
  console.log(`\n=== ${run.name} (${minutes(Date.now() - t0)}) ===`);
  if (!fs.existsSync(out)) {
    console.error(`${run.name}: vitest wrote no results (exit ${status})`);
    broken = true;
    return;
  }
  const res = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += res.numPassedTests;
  failed += res.numFailedTests;
  // A file that fails to load counts as a failure even when no test inside it ran.
  if (status !== 0 && res.numFailedTests === 0) {
    broken = true;
    console.error(`${run.name}: FAILED (vitest exit ${status}) without a failed test: a file or a hook failed, see above`);
  }
  console.log(`${run.name}: ${res.numPassedTests} passed, ${res.numFailedTests} failed`);
}

const lanes = LANES.map((names) => runs.filter((r) => names.includes(r.name)));
const unlaned = runs.filter((r) => !LAST.includes(r.name) && !LANES.some((names) => names.includes(r.name)));
if (unlaned.length) lanes[0].push(...unlaned);
await Promise.all(
  lanes.map(async (lane) => {
    for (const run of lane) await runSuite(run);
  }),
);
for (const run of runs.filter((r) => LAST.includes(r.name))) await runSuite(run);
console.log(`\nall suites in ${minutes(Date.now() - started)}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
