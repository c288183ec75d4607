#!/usr/bin/env node
// `npm test`: the server suite on SQLite and on PostgreSQL, the public-domain gate through a real
// nginx, the web build, the browser end-to-end suite, then the bench's --quick smoke run. Prints one closing "N passed, N failed"
// line summing every run.
import { spawnSync } from 'node:child_process';
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

let passed = 0;
let failed = 0;
let broken = false;
for (const run of runs) {
  console.log(`\n=== ${run.name} ===`);
  if (run.before) {
    const b = spawnSync(run.before[0], run.before[1], { stdio: 'inherit' });
    if (b.status !== 0) {
      console.error(`${run.name}: preparation step failed`);
      broken = true;
      continue;
    }
  }
  const out = path.join(outDir, `${run.name}.json`);
  const r = spawnSync('npx', ['vitest', 'run', ...run.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    stdio: 'inherit',
    env: { ...process.env, ...run.env },
  });
  if (!fs.existsSync(out)) {
    console.error(`${run.name}: vitest wrote no results (exit ${r.status})`);
    broken = true;
    continue;
  }
  const res = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += res.numPassedTests;
  failed += res.numFailedTests;
  // A file that fails to load counts as a failure even when no test inside it ran.
  if (r.status !== 0 && res.numFailedTests === 0) {
    broken = true;
    console.error(`${run.name}: FAILED (vitest exit ${r.status}) without a failed test: a file or a hook failed, see above`);
  }
  console.log(`${run.name}: ${res.numPassedTests} passed, ${res.numFailedTests} failed`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
