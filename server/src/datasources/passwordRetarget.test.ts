import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

/**
 * A fake PostgreSQL server of the kind an attacker would run: it asks every client for its
 * password in clear text (AuthenticationCleartextPassword) and keeps every byte it receives.
 */
async function startPasswordTrap(): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let askedForPassword = false;
    socket.on('data', (data) => {
      chunks.push(data);
      if (!askedForPassword) {
        askedForPassword = true;
        const ask = Buffer.alloc(9);
        ask.write('R', 0);
        ask.writeInt32BE(8, 1);
        ask.writeInt32BE(3, 5); // 3 = cleartext password
        socket.write(ask);
      } else {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const storedPassword = `Stored-${randomBytes(6).toString('hex')}`;
let t: TestApp;
let admin: Record<string, string>;
let trap: Awaited<ReturnType<typeof startPasswordTrap>>;
let sourceId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
  const created = await t.call({
    method: 'POST',
    url: '/api/datasources',
    headers: admin,
    body: { name: `生产库-${randomBytes(3).toString('hex')}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', password: storedPassword },
  });
  expect(created.status).toBe(200);
  sourceId = created.json.data.id;
  trap = await startPasswordTrap();
});
afterEach(async () => {
  await trap.close();
  trap = await startPasswordTrap();
});
afterAll(async () => {
  await trap?.close();
  await t?.close();
});

const elsewhere = () => ({ host: '127.0.0.1', port: trap.port });
const testSaved = (body: object, headers = admin) => t.call({ method: 'POST', url: `/api/datasources/${sourceId}/test`, headers, body });
const update = (body: object) => t.call({ method: 'PUT', url: `/api/datasources/${sourceId}`, headers: admin, body });

describe('the stored password only goes where it was saved for', () => {
  it('refuses to test a saved source against another host without the password, and sends nothing there', async () => {
    const res = await testSaved(elsewhere());
    expect(trap.received()).not.toContain(storedPassword);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('修改了主机、端口、数据库、用户名或 SSL 设置，请重新输入密码');
    const en = await testSaved(elsewhere(), { ...admin, 'accept-language': 'en' });
    expect(en.json.error.message).toBe('Host, port, database, user or SSL changed: enter the password again');
    expect(trap.received()).toBe('');
  });

  it('refuses each retargeting field on its own, for test and for update alike', async () => {
    for (const change of [{ port: 1 }, { database: 'other' }, { user: 'someone' }, { ssl: true }, { host: 'localhost' }]) {
      expect((await testSaved(change)).status, JSON.stringify(change)).toBe(400);
      expect((await update(change)).status, JSON.stringify(change)).toBe(400);
    }
    // The kind cannot be changed at all (another protocol would expose the password differently).
    expect((await testSaved({ kind: 'mysql' })).status).toBe(400);
    expect((await update({ kind: 'mysql' })).status).toBe(400);
    const view = await t.call({ method: 'GET', url: `/api/datasources/${sourceId}`, headers: admin });
    expect(view.json.data).toMatchObject({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', ssl: false });
  });

  it('refuses to save a new host without the password, so a later test cannot send it there either', async () => {
    const res = await update({ ...elsewhere(), name: '改到别处' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('请重新输入密码');
    expect((await testSaved({})).status).toBe(200);
    expect(trap.received()).toBe('');
  });

  it('with the password typed again, testing and saving the new host work, and only the typed password travels', async () => {
    const typed = `Typed-${randomBytes(4).toString('hex')}`;
    const tested = await testSaved({ ...elsewhere(), password: typed });
    expect(tested.status).toBe(200);
    expect(tested.json.data.ok).toBe(false);
    expect(trap.received()).toContain(typed);
    expect(trap.received()).not.toContain(storedPassword);

    const saved = await update({ ...elsewhere(), password: typed });
    expect(saved.status).toBe(200);
    expect(saved.json.data).toMatchObject({ port: trap.port, hasPassword: true });
    // Back where it was: the stored password is now `typed`, so putting it back needs it again too.
    expect((await update({ port: 5432 })).status).toBe(400);
    expect((await update({ port: 5432, password: storedPassword })).status).toBe(200);
  });

  it('needs no password to rename, or to save the form unchanged', async () => {
    expect((await update({ name: '只改名字' })).status).toBe(200);
    const unchanged = await update({ name: '再改名字', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', ssl: false });
    expect(unchanged.status).toBe(200);
    expect(unchanged.json.data).toMatchObject({ name: '再改名字', hasPassword: true });
    expect((await testSaved({ host: '127.0.0.1', port: 5432 })).status).toBe(200);
  });
});
