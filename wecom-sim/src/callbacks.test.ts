import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt, getSignature } from '@wecom/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start } from './testHelpers.js';

const TOKEN = 'simToken123';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

interface Received {
  query: URLSearchParams;
  body: string;
  /** The decrypted event, after checking the signature and the receiveid. */
  message: string;
}

/** A callback receiver checking what WeCom's server would send; `answer` decides each POST's fate. */
async function receiver(corpid: string, answer: (n: number) => { status: number; delayMs?: number } = () => ({ status: 200 })) {
  const received: Received[] = [];
  let echo: ((plain: string) => string) | null = (p) => p;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const encrypted = req.method === 'GET' ? q.get('echostr')! : /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)![1]!;
      const signed = getSignature(TOKEN, q.get('timestamp')!, q.get('nonce')!, encrypted) === q.get('msg_signature');
      const opened = decrypt(AES_KEY, encrypted);
      if (!signed || opened.id !== corpid) {
        res.writeHead(403).end();
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(echo ? echo(opened.message) : '');
        return;
      }
      received.push({ query: q, body, message: opened.message });
      const { status, delayMs } = answer(received.length);
      const send = () => res.writeHead(status).end('');
      if (delayMs) setTimeout(send, delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
  return {
    url,
    received,
    setEcho(fn: ((plain: string) => string) | null) {
      echo = fn;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const field = (xml: string, name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[(.*?)\\]\\]>|([^<]*))</${name}>`).exec(xml)?.slice(1).find((x) => x !== undefined);

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
beforeEach(async () => {
  sim = await start();
});
afterEach(async () => {
  await sim.controls.callbacksIdle();
  await sim.close();
  await rx?.close();
});

describe('contact-change callbacks (接收事件服务器)', () => {
  it('saves the URL only when it answers the verification with the decrypted echostr', async () => {
    rx = await receiver(sim.corp.corpid);
    rx.setEcho((p) => `"${p}"`);
    const quoted = await call(sim, '/__sim/callback', { method: 'PUT', body: { url: rx.url, token: TOKEN, encodingAesKey: AES_KEY } });
    expect(quoted.status).toBe(400);
    expect(quoted.json.error).toMatch(/decrypted echostr/);
    rx.setEcho((p) => p);
    const ok = await call(sim, '/__sim/callback', { method: 'PUT', body: { url: rx.url, token: TOKEN, encodingAesKey: AES_KEY } });
    expect(ok.status).toBe(200);
    const bad = await call(sim, '/__sim/callback', { method: 'PUT', body: { url: rx.url, token: 'x', encodingAesKey: 'short' } });
    expect(bad.status).toBe(400);
  });

  it('calls back member and department changes made through the controls, encrypted, signed, in order', async () => {
    rx = await receiver(sim.corp.corpid);
    await sim.controls.setCallback({ url: rx.url, token: TOKEN, encodingAesKey: AES_KEY });
    const someone = [...sim.corp.members.values()][0]!;
    await call(sim, '/__sim/corp/members', { body: { userid: 'NewHire', name: '新同事', mobile: '13912345678', department: [2], position: '工程师' } });
    await call(sim, `/__sim/corp/members/${someone.userid}`, { method: 'PATCH', body: { status: 2 } });
    await call(sim, '/__sim/corp/members/NewHire', { method: 'DELETE' });
    sim.controls.addDepartment({ id: 900, name: '新部门', parentid: 1 });
    sim.controls.updateDepartment(900, { name: '改名部门' });
    sim.controls.deleteDepartment(900);
    await sim.controls.callbacksIdle();

    const msgs = rx.received.map((r) => r.message);
    expect(msgs.map((m) => field(m, 'ChangeType'))).toEqual(['create_user', 'update_user', 'delete_user', 'create_party', 'update_party', 'delete_party']);
    for (const m of msgs) {
      expect(field(m, 'ToUserName')).toBe(sim.corp.corpid);
      expect(field(m, 'MsgType')).toBe('event');
      expect(field(m, 'Event')).toBe('change_contact');
    }
    expect(field(msgs[0]!, 'UserID')).toBe('NewHire');
    expect(field(msgs[0]!, 'Name')).toBe('新同事');
    expect(field(msgs[0]!, 'Department')).toBe('2');
    expect(field(msgs[0]!, 'Status')).toBe('1');
    // Only what changed: the status.
    expect(msgs[1]).toContain('<Status>2</Status>');
    expect(field(msgs[1]!, 'UserID')).toBe(someone.userid);
    expect(field(msgs[1]!, 'Name')).toBeUndefined();
    expect(field(msgs[4]!, 'Name')).toBe('改名部门');
    // The envelope is XML with the CorpID and the Encrypt element.
    expect(rx.received[0]!.body).toMatch(/^<xml><ToUserName><!\[CDATA\[ww[0-9a-f]{16}\]\]><\/ToUserName><Encrypt>/);
    expect(sim.controls.callbackDeliveries().every((d) => d.outcome === 'delivered' && d.attempts.length === 1)).toBe(true);
  });

  it('sends only UserID and Department to URLs configured after 2022-08-15 (reduced)', async () => {
    rx = await receiver(sim.corp.corpid);
    await sim.controls.setCallback({ url: rx.url, token: TOKEN, encodingAesKey: AES_KEY, reduced: true });
    const someone = [...sim.corp.members.values()][0]!;
    sim.controls.updateMember(someone.userid, { status: 2 });
    await sim.controls.callbacksIdle();
    const m = rx.received[0]!.message;
    expect(field(m, 'UserID')).toBe(someone.userid);
    expect(field(m, 'Department')).toBe(someone.department.join(','));
    expect(field(m, 'Status')).toBeUndefined();
  });

  it('retries a failed delivery up to 3 times, then gives up', async () => {
    rx = await receiver(sim.corp.corpid, (n) => ({ status: n < 3 ? 500 : 200 }));
    await sim.controls.setCallback({ url: rx.url, token: TOKEN, encodingAesKey: AES_KEY, retryDelayMs: 0 });
    sim.controls.addMember({ userid: 'A1', name: 'a', department: [1] });
    await sim.controls.callbacksIdle();
    expect(sim.controls.callbackDeliveries()[0]).toMatchObject({ outcome: 'delivered', attempts: [{ status: 500 }, { status: 500 }, { status: 200 }] });
    // Each retry is encrypted anew but carries the same event.
    expect(new Set(rx.received.map((r) => r.message)).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(3);

    rx.received.length = 0;
    await rx.close();
    rx = await receiver(sim.corp.corpid, () => ({ status: 503 }));
    await sim.controls.setCallback({ url: rx.url, token: TOKEN, encodingAesKey: AES_KEY, retryDelayMs: 0 });
    sim.controls.addMember({ userid: 'A2', name: 'b', department: [1] });
    await sim.controls.callbacksIdle();
    expect(sim.controls.callbackDeliveries()[1]).toMatchObject({ outcome: 'failed' });
    expect(rx.received).toHaveLength(4);
  });

  it('retries when the answer is slower than the timeout (WeCom waits 5 s)', async () => {
    rx = await receiver(sim.corp.corpid, (n) => (n === 1 ? { status: 200, delayMs: 1000 } : { status: 200 }));
    await sim.controls.setCallback({ url: rx.url, token: TOKEN, encodingAesKey: AES_KEY, timeoutMs: 100, retryDelayMs: 0 });
    sim.controls.addMember({ userid: 'Slow1', name: 's', department: [1] });
    await sim.controls.callbacksIdle();
    const d = sim.controls.callbackDeliveries()[0]!;
    expect(d.outcome).toBe('delivered');
    expect(d.attempts).toHaveLength(2);
    expect(d.attempts[0]).toMatchObject({ status: null, error: 'TimeoutError' });
  });

  it('sends nothing while no callback is configured', async () => {
    rx = await receiver(sim.corp.corpid);
    sim.controls.addMember({ userid: 'Quiet', name: 'q', department: [1] });
    await sim.controls.callbacksIdle();
    expect(rx.received).toHaveLength(0);
    expect(sim.controls.callbackDeliveries()).toHaveLength(0);
  });
});
