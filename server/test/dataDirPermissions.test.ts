import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { secureDataDir } from '../src/lib/dataDir.js';
import { createTestApp, type TestApp } from './testApp.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-perms-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every entry under `dir` whose mode is not 0700 (dirs) or 0600 (files), as "path mode". */
function loose(dir: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    const mode = st.mode & 0o777;
    if (mode !== (st.isDirectory() ? 0o700 : 0o600)) out.push(`${path.relative(dir, p) || '.'} ${mode.toString(8)}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(dir);
  return out;
}

async function appOn(dataDir: string): Promise<TestApp> {
  // A real SQLite file and a generated key, as a first start writes them.
  return createTestApp({ dataDir, database: { kind: 'sqlite', file: path.join(dataDir, 'shulan.sqlite') }, secretKey: null });
}

async function upload(t: TestApp, headers: Record<string, string>, fileName: string, content: Buffer) {
  const boundary = 'perm5boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/api/uploads', payload, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  expect(res.statusCode).toBe(200);
  return res.json().data.uploadId as string;
}

describe('data dir permissions', () => {
  it('a data dir Shulan creates holds only 0700 dirs and 0600 files, also after uploads and imports', async () => {
    const before = process.umask(0o022); // the usual default, which makes 0755 dirs and 0644 files
    const dataDir = path.join(root, 'fresh', 'data');
    const t = await appOn(dataDir);
    try {
      const editor = (await t.user('editor')).headers;
      const csv = await upload(t, editor, 'a.csv', Buffer.from('城市,数量\n北京,1\n上海,2\n'));
      expect((await t.call({ method: 'POST', url: `/api/uploads/${csv}/import`, headers: editor, body: { name: '权限' } })).status).toBe(200);
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('s').addRows([['a'], [1]]);
      // Previewed and left for later: the upload and its metadata stay in the data dir.
      await upload(t, editor, 'b.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toHaveLength(2);
      expect(fs.existsSync(path.join(dataDir, 'shulan.sqlite-wal'))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(true);
      expect(loose(path.join(root, 'fresh'))).toEqual([]);
    } finally {
      await t.close();
      process.umask(before);
    }
  });

  it('an existing data dir others can read is tightened at start', async () => {
    const dataDir = path.join(root, 'old');
    fs.mkdirSync(path.join(dataDir, 'uploads'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, 'uploads', 'x'), 'old upload', { mode: 0o644 });
    fs.writeFileSync(path.join(dataDir, 'secret.key'), `${'b'.repeat(64)}\n`, { mode: 0o644 });
    for (const p of [dataDir, path.join(dataDir, 'uploads')]) fs.chmodSync(p, 0o755);
    for (const p of [path.join(dataDir, 'uploads', 'x'), path.join(dataDir, 'secret.key')]) fs.chmodSync(p, 0o644);
    expect(loose(dataDir)).toHaveLength(4);

    const t = await appOn(dataDir);
    await t.close();
    expect(loose(dataDir)).toEqual([]);
    // Nothing left to do the second time.
    expect(secureDataDir(dataDir)).toEqual({ changed: [], failed: [] });
  });
});
