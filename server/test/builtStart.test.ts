// Production runs the server bundle (scripts/bundle.ts) with plain node: the bundle starts, finds
// the files its modules look up next to their sources (web/dist, package.json, the nginx template,
// the mini program's source), reads an .xlsx through its own worker entry, and keeps the lazy
// imports lazy.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer, OUTPUTS_FILE, SERVER_DIR } from '../scripts/bundle.js';
import { multipart } from './multipart.js';
import { TEST_DB } from './testDb.js';

const WEB_INDEX = path.resolve(SERVER_DIR, '../web/dist/index.html');
const ADMIN_PASSWORD = 'built-start-pw-1';
const APPID = 'wx0123456789abcdef';
// Loaded before the server: names every worker it starts on stderr, so the test sees which XLSX worker entry runs.
const NAME_WORKERS = `data:text/javascript,${encodeURIComponent(`
import module from 'node:module';
import wt from 'node:worker_threads';
const Worker = wt.Worker;
wt.Worker = class extends Worker { constructor(file, opts) { process.stderr.write('worker: ' + file + '\\n'); super(file, opts); } };
module.syncBuiltinESMExports();
`)}`;

let outDir: string;
let metafile: Awaited<ReturnType<typeof bundleServer>>['metafile'];
let dataDir: string;
let server: ChildProcess | undefined;
let url: string;
let serverErr = '';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `node <bundle>/cli.mjs …` to its end. */
function runBuilt(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(outDir, 'cli.mjs'), ...args], {
    env: { ...process.env, SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

// The bundle does not depend on the application database: one run (the SQLite lane) is enough.
describe.skipIf(TEST_DB === 'postgres')('the server bundle run with plain node', () => {
  beforeAll(async () => {
    // Its own folder (test-artifacts/ is git-ignored): server/dist may be in use by a running server.
    ({ outDir, metafile } = await bundleServer(path.join(SERVER_DIR, 'test-artifacts', `built-start-${process.pid}`)));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-built-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', NAME_WORKERS, path.join(outDir, 'cli.mjs'), 'start'], {
      env: {
        ...process.env,
        SHULAN_DATA_DIR: dataDir,
        SHULAN_DATABASE_URL: '',
        SHULAN_LOG_LEVEL: 'warn',
        SHULAN_SAMPLE_CONTENT: '0',
        SHULAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
        SHULAN_PORT: String(port),
        SHULAN_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (b: Buffer) => (serverErr += b.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the bundle exited (${server.exitCode}): ${serverErr.slice(-1000)}`);
      if (Date.now() > deadline) throw new Error(`the bundle did not answer within 30 s: ${serverErr.slice(-1000)}`);
      if (await fetch(`${url}/api/site`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the API with the version from the server package.json', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8')) as { version: string };
    const site = (await (await fetch(`${url}/api/site`)).json()) as { data: { version: string } };
    expect(site.data.version).toBe(version);
    expect((await fetch(`${url}/api/auth/me`)).status).toBe(401);
  });

  it.skipIf(!fs.existsSync(WEB_INDEX))('serves the web app from web/dist', async () => {
    const page = await fetch(`${url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(fs.readFileSync(WEB_INDEX, 'utf8'));
  });

  it('reads an uploaded .xlsx through the bundled worker', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, mode: 'token' }),
    });
    expect(login.status).toBe(200);
    const { token } = ((await login.json()) as { data: { token: string } }).data;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('销售').addRows([['城市', '数量'], ['北京', 3], ['上海', 5]]);
    const body = multipart('sales.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await fetch(`${url}/api/uploads`, { method: 'POST', headers: { ...body.headers, authorization: `Bearer ${token}` }, body: body.payload });
    const json = (await res.json()) as { data: { rowCount: number; sheets: string[]; fields: { name: string }[] } };
    expect(res.status, JSON.stringify(json)).toBe(200);
    expect(json.data.rowCount).toBe(2);
    expect(json.data.sheets).toEqual(['销售']);
    expect(json.data.fields.map((f) => f.name)).toEqual(['城市', '数量']);
    // The bundle's own worker entry, not src/…/xlsxWorker.mjs (which registers tsx).
    expect(serverErr).toContain(`worker: ${new URL('xlsxWorker.mjs', `${pathToFileURL(outDir).href}/`).href}`);
  });

  it('writes the nginx configuration from the deploy template and builds the mini program from its source', async () => {
    const mpOut = path.join(dataDir, 'mp');
    const [nginx, mp] = await Promise.all([
      runBuilt(['deploy', 'nginx', '--domain', 'bi.example.com', '--cert', '/etc/ssl/bi/fullchain.pem', '--key', '/etc/ssl/bi/privkey.pem', '--appid', APPID]),
      runBuilt(['miniprogram', 'build', '--appid', APPID, '--domain', 'https://bi.example.com', '--out', mpOut]),
    ]);
    expect(nginx.status, nginx.stderr).toBe(0);
    expect(nginx.stdout).toContain('server_name bi.example.com');
    expect(nginx.stdout).toContain(`servicewechat\\.com/${APPID}/`);
    expect(mp.status, mp.stderr).toBe(0);
    expect(fs.existsSync(path.join(mpOut, 'miniprogram', 'app.json'))).toBe(true);
  });

  it('keeps tsx out and DuckDB, pg, mysql2 and esbuild behind dynamic imports', () => {
    // Every package the server's start loads before its first request: static imports from cli.mjs on.
    const staticPackages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imp of metafile.outputs[file]!.imports) {
        if (imp.kind !== 'import-statement') continue;
        if (imp.external) staticPackages.add(imp.path);
        else visit(imp.path);
      }
    };
    const cli = Object.keys(metafile.outputs).find((f) => f.endsWith('/cli.mjs'))!;
    visit(cli);
    expect(staticPackages).toContain('fastify');
    expect(staticPackages).toContain('better-sqlite3');
    for (const lazy of ['@duckdb/node-api', 'pg', 'pg-cursor', 'mysql2/promise', 'esbuild']) expect(staticPackages).not.toContain(lazy);
    const all = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(all.filter((p) => p === 'tsx' || p.startsWith('tsx/'))).toEqual([]);
    expect(all).toContain('@duckdb/node-api');
  });

  it("keeps the previous build's files for an instance still running it, and drops older ones", async () => {
    // As if the last build had also written chunk-OLD.mjs (its lazy chunks under other hashes).
    const listed = path.join(outDir, OUTPUTS_FILE);
    fs.writeFileSync(listed, JSON.stringify([...(JSON.parse(fs.readFileSync(listed, 'utf8')) as string[]), 'chunk-OLD.mjs']));
    fs.writeFileSync(path.join(outDir, 'chunk-OLD.mjs'), '');
    fs.writeFileSync(path.join(outDir, 'chunk-OLDER.mjs'), '');
    await bundleServer(outDir);
    expect(fs.existsSync(path.join(outDir, 'chunk-OLD.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'chunk-OLDER.mjs'))).toBe(false);
    await bundleServer(outDir);
    expect(fs.existsSync(path.join(outDir, 'chunk-OLD.mjs'))).toBe(false);
    expect(fs.existsSync(path.join(outDir, 'cli.mjs'))).toBe(true);
  });
});
