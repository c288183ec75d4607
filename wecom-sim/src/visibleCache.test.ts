import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start, tokenFor } from './testHelpers.js';

// The visible range is cached between calls (a 5,000-department corp rebuilt it on every call);
// these check that no change to the directory or to the app's range is ever missed.
let sim: Simulator;
let old: string;
beforeEach(async () => {
  sim = await start();
  old = await tokenFor(sim, 'self_built'); // sees department 2 and its sub-departments only
});
afterEach(async () => {
  await sim.close();
});

const listIds = async () => ((await call(sim, `/cgi-bin/department/simplelist?access_token=${old}`)).json.department_id as { id: number }[]).map((d) => d.id);
const userList = (dept: number) => call(sim, `/cgi-bin/user/list?access_token=${old}&department_id=${dept}`);

describe('the cached visible range', () => {
  it('follows departments added to and moved out of the range at once', async () => {
    expect(await listIds()).not.toContain(900);
    sim.controls.addDepartment({ id: 900, name: '新部门', parentid: 2 });
    expect(await listIds()).toContain(900);
    sim.controls.addMember({ userid: 'newcomer', name: '新人', department: [900] });
    expect((await userList(900)).json.userlist).toMatchObject([{ userid: 'newcomer', department: [900] }]);

    // Out of department 2's subtree: out of the app's range.
    const outside = [...sim.corp.departments.values()].find((d) => d.id !== 1 && !sim.corp.subtree(2).some((s) => s.id === d.id));
    sim.controls.updateDepartment(900, { parentid: outside!.id });
    expect(await listIds()).not.toContain(900);
    expect((await userList(900)).json.errcode).toBe(60011);
  });

  it("follows an edit of the app's range", async () => {
    const app = sim.corp.apps.find((a) => a.kind === 'self_built')!;
    const before = await listIds();
    app.visible.departments = [1];
    expect((await listIds()).length).toBe(sim.corp.departments.size);
    app.visible.departments = [2];
    expect(await listIds()).toEqual(before);
  });
});

describe('latency', () => {
  it('holds every WeCom answer for the set round trip, and can be switched off', async () => {
    const timed = async () => {
      const t0 = performance.now();
      expect((await userList(2)).json.errcode).toBe(0);
      return performance.now() - t0;
    };
    const set = await call(sim, '/__sim/latency', { method: 'PUT', body: { ms: 200, jitterMs: 20 } });
    expect(set.json).toEqual({ ms: 200, jitterMs: 20 });
    // A lower bound only (a busy machine can only add to it).
    expect(await timed()).toBeGreaterThanOrEqual(175);
    sim.controls.setLatency({ ms: 0 });
    expect(sim.controls.setLatency({ ms: 0 })).toEqual({ ms: 0, jitterMs: 0 });
    expect(() => sim.controls.setLatency({ ms: 10, jitterMs: 20 })).toThrow(/jitter/);
  });

  it('is an option of startSimulator', async () => {
    const slow = await start(undefined, { latency: { ms: 150 } });
    try {
      const token = await (async () => {
        const t0 = performance.now();
        const t = await tokenFor(slow, 'self_built');
        expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
        return t;
      })();
      expect(token).toEqual(expect.any(String));
    } finally {
      await slow.close();
    }
  });
});
