import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let mini: string;
beforeEach(async () => {
  sim = await start();
  mini = await tokenFor(sim, 'miniprogram');
});
afterEach(async () => {
  await sim.close();
});

const appid = () => sim.corp.apps.find((a) => a.kind === 'miniprogram')!.appid!;
const notice = (extra: Record<string, unknown> = {}) => ({
  appid: appid(),
  page: 'pages/report/index?id=1',
  title: '日报已经生成',
  description: '十一月二十五日',
  content_item: [{ key: '报表', value: '销售日报' }],
  ...extra,
});
const send = (token: string, body: unknown) => call(sim, `/cgi-bin/message/send?access_token=${token}`, { body });

describe('message/send miniprogram_notice', () => {
  it('delivers to known members and lists unknown ones in invaliduser', async () => {
    const active = [...sim.corp.members.values()].find((m) => m.status === 1)!;
    const r = await send(mini, { touser: `${active.userid}|ghost1|ghost2`, msgtype: 'miniprogram_notice', miniprogram_notice: notice() });
    expect(r.json).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: 'ghost1|ghost2', invalidparty: '', invalidtag: '', msgid: expect.any(String) });
    expect(sim.controls.sentMessages()[0]!.delivered).toEqual([active.userid]);
  });

  it('treats disabled members as invalid recipients', async () => {
    const disabled = [...sim.corp.members.values()].find((m) => m.status === 2)!;
    const active = [...sim.corp.members.values()].find((m) => m.status === 1)!;
    const r = await send(mini, { touser: `${active.userid}|${disabled.userid}`, msgtype: 'miniprogram_notice', miniprogram_notice: notice() });
    expect(r.json.invaliduser).toBe(disabled.userid);
  });

  it('validates the notice against the documented limits', async () => {
    const active = [...sim.corp.members.values()][0]!.userid;
    const base = { touser: active, msgtype: 'miniprogram_notice' };
    expect((await send(mini, { ...base, miniprogram_notice: notice({ title: '短' }) })).json.errcode).toBe(40035);
    expect((await send(mini, { ...base, miniprogram_notice: notice({ title: '这个标题实在是太长了超过十二个字' }) })).json.errcode).toBe(40035);
    const items = Array.from({ length: 11 }, () => ({ key: 'k', value: 'v' }));
    expect((await send(mini, { ...base, miniprogram_notice: notice({ content_item: items }) })).json.errcode).toBe(40035);
    expect((await send(mini, { ...base, miniprogram_notice: notice({ appid: 'wx0000000000000000' }) })).json.errcode).toBe(40063);
    expect((await send(mini, { msgtype: 'miniprogram_notice', miniprogram_notice: notice() })).json.errcode).toBe(82001);
    expect((await send(mini, { touser: 'ghost', msgtype: 'miniprogram_notice', miniprogram_notice: notice() })).json.errcode).toBe(81013);
  });

  it('48002 for other app tokens and for other message types from the mini program', async () => {
    const body = { touser: [...sim.corp.members.values()][0]!.userid, msgtype: 'miniprogram_notice', miniprogram_notice: notice() };
    expect((await send(await tokenFor(sim, 'self_built'), body)).json.errcode).toBe(48002);
    expect((await send(await tokenFor(sim, 'contact_sync'), body)).json.errcode).toBe(48002);
    expect((await send(mini, { touser: body.touser, msgtype: 'text', text: { content: 'hi' } })).json.errcode).toBe(48002);
  });
});
