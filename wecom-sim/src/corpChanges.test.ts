import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let token: string;
beforeEach(async () => {
  sim = await start();
  token = await tokenFor(sim, 'contact_sync');
});
afterEach(async () => {
  await sim.close();
});

const get = (userid: string) => call(sim, `/cgi-bin/user/get?access_token=${token}&userid=${userid}`);

describe('changing the corp between syncs', () => {
  it('adds, renames, moves, disables and deletes members over HTTP', async () => {
    const add = await call(sim, '/__sim/corp/members', { body: { userid: 'NewHire', name: '新同事', mobile: '13912345678', department: [2], position: '工程师' } });
    expect(add.status).toBe(200);
    expect((await get('NewHire')).json).toMatchObject({ errcode: 0, name: '新同事', department: [2], main_department: 2, status: 1 });

    await call(sim, '/__sim/corp/members/NewHire', { method: 'PATCH', body: { name: '新名字', department: [3], status: 2 } });
    expect((await get('NewHire')).json).toMatchObject({ name: '新名字', department: [3], main_department: 3, status: 2, position: '工程师', mobile: '13912345678' });
    await call(sim, '/__sim/corp/members/NewHire', { method: 'PATCH', body: { status: 1 } });
    expect((await get('NewHire')).json).toMatchObject({ name: '新名字', status: 1, position: '工程师' });

    const del = await call(sim, '/__sim/corp/members/NewHire', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await get('NewHire')).json.errcode).toBe(60111);
    expect((await call(sim, '/__sim/corp/members/NewHire', { method: 'DELETE' })).status).toBe(400);
  });

  it('refuses bad changes with 400 and a reason', async () => {
    const bad = await call(sim, '/__sim/corp/members', { body: { userid: 'X', name: 'x', department: [99999] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/unknown department 99999/);
    const dup = await call(sim, '/__sim/corp/members', { body: { userid: [...sim.corp.members.values()][0]!.userid.toUpperCase(), name: 'x', department: [1] } });
    expect(dup.json.error).toMatch(/already exists/);
    expect((await call(sim, '/__sim/corp/departments/1', { method: 'DELETE' })).status).toBe(400);
  });

  it('adds, renames, moves and deletes departments', async () => {
    await call(sim, '/__sim/corp/departments', { body: { id: 500, name: '新部门', parentid: 2, order: 1 } });
    const listed = async () => (await call(sim, `/cgi-bin/department/list?access_token=${token}`)).json.department as { id: number; name: string; parentid: number }[];
    expect((await listed()).find((d) => d.id === 500)).toMatchObject({ name: '新部门', parentid: 2 });

    await call(sim, '/__sim/corp/departments/500', { method: 'PATCH', body: { name: '改名部门', parentid: 3 } });
    expect((await listed()).find((d) => d.id === 500)).toMatchObject({ name: '改名部门', parentid: 3 });
    // Cannot move a department under its own descendant.
    expect((await call(sim, '/__sim/corp/departments/3', { method: 'PATCH', body: { parentid: 500 } })).status).toBe(400);

    sim.controls.addMember({ userid: 'InNew', name: '甲', department: [500] });
    expect((await call(sim, '/__sim/corp/departments/500', { method: 'DELETE' })).json.error).toMatch(/still has/);
    sim.controls.deleteMember('InNew');
    expect((await call(sim, '/__sim/corp/departments/500', { method: 'DELETE' })).status).toBe(200);
    expect((await listed()).some((d) => d.id === 500)).toBe(false);
  });

  it('GET /__sim/corp returns the current corp as a fixture', async () => {
    sim.controls.updateMember([...sim.corp.members.values()][0]!.userid, { name: '已改名' });
    const r = await call(sim, '/__sim/corp');
    expect(r.json.corpid).toBe(sim.corp.corpid);
    expect((r.json.members as { name: string }[])[0]!.name).toBe('已改名');
  });
});
