// The real-time part of `npm run demo`: WeCom calls Shulan back when a member changes, and a member
// disabled in WeCom loses passwordless access within seconds, without waiting for the 02:00 sync.
import { randomBytes } from 'node:crypto';
import type { Simulator } from '@shulan/wecom-sim';
import type { Deps } from '../server/src/deps.js';
import { readWecomSettings, writeWecomSettings } from '../server/src/wecom/wecomSettings.js';

const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);

/** Sets up the callback on both sides (as an admin would), then walks through a disable. */
export async function demoDisabledMemberLosesAccess(opts: { deps: Deps; sim: Simulator; shulanUrl: string; userid: string; password: string }): Promise<void> {
  const { deps, sim, shulanUrl, userid, password } = opts;
  const say = (line: string) => console.log(`  [实时通讯录 / real-time] ${line}`);

  // 1. 企业微信集成设置 → 接收事件: Token and EncodingAESKey (generated once, stored encrypted).
  const s = await readWecomSettings(deps.db);
  let token = s.callbackTokenEnc ? deps.secretBox.decrypt(s.callbackTokenEnc) : null;
  let aesKey = s.callbackAesKeyEnc ? deps.secretBox.decrypt(s.callbackAesKeyEnc) : null;
  if (!token || !aesKey) {
    token = alnum(32);
    aesKey = alnum(43);
    await writeWecomSettings(deps.db, { ...s, callbackTokenEnc: deps.secretBox.encrypt(token), callbackAesKeyEnc: deps.secretBox.encrypt(aesKey) });
  }
  // 2. WeCom admin → 通讯录同步 → 设置接收事件服务器: WeCom verifies the URL before saving it.
  const callbackUrl = `${shulanUrl}/api/wecom/callback`;
  await sim.controls.setCallback({ url: callbackUrl, token, encodingAesKey: aesKey });
  say(`WeCom verified the callback URL ${callbackUrl}`);

  // 3. The member opens the mini program: WeCom login (bound with the BI password the first time).
  const post = (p: string, body: unknown) =>
    fetch(`${shulanUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
  const login = await post('/api/wecom/login', { code: sim.controls.issueLoginCode(userid).code });
  const session = login.data?.status === 'ok' ? login.data : (await post('/api/wecom/bind', { bindTicket: login.data?.bindTicket, username: userid.toLowerCase(), password })).data;
  if (!session?.token) throw new Error(`demo: WeCom login of ${userid} failed: ${JSON.stringify(login)}`);
  const me = () => fetch(`${shulanUrl}/api/auth/me`, { headers: { authorization: `Bearer ${session.token}` } }).then((r) => r.status);
  say(`${userid} logged in through WeCom (passwordless session): GET /api/auth/me → ${await me()}`);

  // 4. The administrator disables the member in WeCom; no sync runs.
  const started = Date.now();
  sim.controls.updateMember(userid, { status: 2 });
  say(`${userid} disabled in WeCom — WeCom calls Shulan back (encrypted change_contact event)`);
  let status = await me();
  while (status !== 401 && Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    status = await me();
  }
  say(status === 401 ? `the same session → ${status} after ${Date.now() - started} ms, without a sync` : `still ${status} after 5 s: check the server log`);

  // Back to active so the demo corp stays usable; the member logs in again from the mini program.
  sim.controls.updateMember(userid, { status: 1 });
  await sim.controls.callbacksIdle();
  say(`${userid} enabled again; the events are listed under 企业微信集成 → 通讯录同步 → 实时变更事件`);
}
