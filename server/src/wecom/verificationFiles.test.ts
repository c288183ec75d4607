import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
});
afterAll(async () => t?.close());

/** A multipart/form-data body with one file, built by hand so the bytes are exactly ours. */
function upload(filename: string, content: Buffer, headers = admin) {
  const boundary = '----shulanTestBoundary7MA4YWxkTrZu0gW';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/settings/wecom/verification-files',
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

describe('domain verification files', () => {
  it('serves an uploaded file at the site root byte for byte, as UTF-8 text', async () => {
    // BOM, CRLF, no final newline and Chinese: nothing may be normalised on the way.
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a3f9c1\r\n校验内容 ok')]);
    const res = await upload('WW_verify_DDzKZAh4svwfgX39.txt', content);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ name: 'WW_verify_DDzKZAh4svwfgX39.txt', size: content.length });

    const served = await t.app.inject({ method: 'GET', url: '/WW_verify_DDzKZAh4svwfgX39.txt' });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(served.rawPayload.equals(content)).toBe(true);
  });

  it('replaces a file uploaded again under the same name, lists and deletes', async () => {
    await upload('6ynZPDvfTF.txt', Buffer.from('first'));
    await upload('6ynZPDvfTF.txt', Buffer.from('second'));
    expect((await t.app.inject({ method: 'GET', url: '/6ynZPDvfTF.txt' })).body).toBe('second');
    const list = await t.call({ method: 'GET', url: '/api/settings/wecom/verification-files', headers: admin });
    expect(list.json.data.map((f: { name: string }) => f.name)).toContain('6ynZPDvfTF.txt');

    const del = await t.call({ method: 'DELETE', url: '/api/settings/wecom/verification-files/6ynZPDvfTF.txt', headers: admin });
    expect(del.status).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/6ynZPDvfTF.txt' })).statusCode).toBe(404);
    expect((await t.call({ method: 'DELETE', url: '/api/settings/wecom/verification-files/6ynZPDvfTF.txt', headers: admin })).status).toBe(404);
    const audit = await t.call({ method: 'GET', url: '/api/audit?action=wecom.verification_file', headers: admin });
    expect(audit.json.data.items.map((i: { action: string }) => i.action)).toContain('wecom.verification_file_deleted');
  });

  it.each(['../secret.txt', 'a/b.txt', 'name.html', 'na me.txt', 'x.txt.txt', '.txt', `${'a'.repeat(65)}.txt`, 'MP_verify_x.TXT'])(
    'refuses the name %s',
    async (name) => {
      const res = await upload(name, Buffer.from('x'));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('.txt');
    },
  );

  it('refuses files over 64 KB, empty files and non-UTF-8 content', async () => {
    const big = await upload('big.txt', Buffer.alloc(64 * 1024 + 1, 0x61));
    expect(big.statusCode).toBe(413);
    expect((await upload('empty.txt', Buffer.alloc(0))).statusCode).toBe(400);
    expect((await upload('latin1.txt', Buffer.from([0x61, 0xe9, 0x62]))).statusCode).toBe(400);
    expect((await upload('exact.txt', Buffer.alloc(64 * 1024, 0x61))).statusCode).toBe(200);
  });

  it('answers a plain 404 for unknown .txt names, and bad names in the URL', async () => {
    for (const url of ['/nothing.txt', '/..%2Fetc%2Fpasswd.txt', '/a.b.txt']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('Not Found');
    }
    expect((await t.call({ method: 'DELETE', url: '/api/settings/wecom/verification-files/a..txt', headers: admin })).status).toBe(400);
  });

  it('is managed by admins only', async () => {
    const viewer = (await t.user('viewer')).headers;
    expect((await upload('viewer.txt', Buffer.from('x'), viewer)).statusCode).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/settings/wecom/verification-files', headers: viewer })).status).toBe(403);
    expect((await t.call({ method: 'DELETE', url: '/api/settings/wecom/verification-files/viewer.txt', headers: viewer })).status).toBe(403);
    expect((await upload('anon.txt', Buffer.from('x'), {})).statusCode).toBe(401);
  });
});
