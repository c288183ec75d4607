import { TableNode, type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { WecomIntegration } from '../WecomIntegration.js';
import { startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { WecomSyncService } from './SyncService.js';

let env: WecomTestEnv;
afterEach(async () => env?.close());

/** Counts INSERT/UPDATE/DELETE statements on the address-book tables, as the database receives them. */
class WriteCounter implements KyselyPlugin {
  writes: string[] = [];
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    const name = (n: OperationNode | undefined) => (n && TableNode.is(n) ? n.table.identifier.name : undefined);
    const table =
      node.kind === 'InsertQueryNode' ? name(node.into) : node.kind === 'UpdateQueryNode' ? name(node.table) : node.kind === 'DeleteQueryNode' ? name(node.from.froms[0]) : undefined;
    if (table === 'wecom_members' || table === 'wecom_departments') this.writes.push(`${node.kind} ${table}`);
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

/** Departments 4..(3+n) with 3 members each under the test corp, so a listing takes several pages. */
function growCorp(n: number) {
  for (let i = 0; i < n; i++) {
    const id = 4 + i;
    env.sim.controls.addDepartment({ id, name: `部门${id}`, parentid: 1 });
    for (let j = 0; j < 3; j++) env.sim.controls.addMember({ userid: `u${id}_${j}`, name: `成员${id}-${j}`, department: [id] });
  }
}

interface Clock {
  now: number;
  sleeps: number[];
}

/** A sync service whose waits move the WeCom breaker's clock instead of sleeping. */
async function setup(): Promise<{ service: WecomSyncService; clock: Clock; counter: WriteCounter }> {
  env = await startWecomTestEnv();
  await env.configure();
  const clock: Clock = { now: Date.now(), sleeps: [] };
  const counter = new WriteCounter();
  env.t.deps.db = env.t.deps.db.withPlugin(counter);
  const { db, secretBox } = env.t.deps;
  env.t.deps.wecom = new WecomIntegration(db, secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 2_000, now: () => clock.now });
  const service = new WecomSyncService(env.t.deps, 60_000, {
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  });
  return { service, clock, counter };
}

const sync = async (service: WecomSyncService) => (await service.start('manual')).done;
const tables = async () => ({
  departments: await env.t.deps.db.selectFrom('wecom_departments').selectAll().orderBy('id').execute(),
  members: await env.t.deps.db.selectFrom('wecom_members').selectAll().orderBy('userid').execute(),
});

describe('streaming sync', () => {
  it('a resync with nothing changed sends not one write to the database', async () => {
    const { service, counter } = await setup();
    growCorp(20);
    expect(await sync(service)).toMatchObject({ status: 'ok', counts: { membersAdded: 65 } });
    expect(counter.writes.length).toBeGreaterThan(0);
    counter.writes = [];
    expect(await sync(service)).toMatchObject({ status: 'ok', counts: { membersAdded: 0, membersChanged: 0, membersSeen: 65 } });
    expect(counter.writes).toEqual([]);
    // One change: one write for it.
    env.sim.controls.updateMember('u10_1', { name: '改名' });
    expect(await sync(service)).toMatchObject({ status: 'ok', counts: { membersChanged: 1 } });
    expect(counter.writes).toEqual(['UpdateQueryNode wecom_members']);
  });

  it('a failure part-way through the listing leaves the local copy exactly as it was', async () => {
    const { service } = await setup();
    growCorp(20);
    expect((await sync(service)).status).toBe('ok');
    const before = await tables();
    // Changes the run would apply, then WeCom refuses the 15th department (pages before it done).
    env.sim.controls.updateMember('u5_0', { name: '新名字' });
    env.sim.controls.addMember({ userid: 'newbie', name: '新人', department: [6] });
    env.sim.controls.deleteMember('u7_2');
    env.sim.controls.updateDepartment(8, { name: '改名部门' });
    env.sim.controls.resetCallCounts();
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 60020, nth: 15 });
    const failed = await sync(service);
    expect(failed.status).toBe('failed');
    expect(env.sim.controls.callCounts()['user/list']).toBeGreaterThanOrEqual(15);
    expect(await tables()).toEqual(before);

    const ok = await sync(service);
    expect(ok).toMatchObject({ status: 'ok', counts: { membersAdded: 1, membersChanged: 1, membersLeft: 1, departmentsChanged: 1 } });
  });

  it('on 45033 (too many concurrent calls) waits the pause out with fewer calls in flight, then finishes', async () => {
    const { service, clock } = await setup();
    growCorp(20);
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 45033, nth: 3 });
    const run = await sync(service);
    expect(run).toMatchObject({ status: 'ok', counts: { membersAdded: 65, departmentsAdded: 23 } });
    expect(clock.sleeps).toEqual([10_000]);
    // 23 departments, the refused one asked again once; the calls in flight at the refusal were
    // answered, none was sent while paused (the breaker would have refused it without a call).
    expect(env.sim.controls.callCounts()['user/list']).toBe(24);
  });

  it('gives up after WeCom keeps refusing for concurrency, changing nothing', async () => {
    const { service, clock } = await setup();
    growCorp(5);
    expect((await sync(service)).status).toBe('ok');
    const before = await tables();
    env.sim.controls.addMember({ userid: 'newbie', name: '新人', department: [6] });
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 45033, nth: 2, times: 1_000 });
    const run = await sync(service);
    expect(run.status).toBe('failed');
    if (run.status === 'failed') expect(run.error.zh).toContain('45033');
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(await tables()).toEqual(before);
  });
});
