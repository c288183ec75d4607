// Part of `npm run demo`: a report card (订阅推送) sent through the WeCom simulator, with one
// recipient who may not view the report skipped and reported.
import type { Simulator } from '@shulan/wecom-sim';
import type { Deps } from '../server/src/deps.js';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { findUserByUsername } from '../server/src/users/userRepo.js';
import { findBindingByUser, insertBinding } from '../server/src/wecom/bindingRepo.js';
import { createSubscription, listSends } from '../server/src/wecom/subscriptions/subscriptionRepo.js';
import { sendSubscription } from '../server/src/wecom/subscriptions/sendSubscription.js';
import { getGrants, replaceGrants } from '../server/src/reports/reportRepo.js';

/** Sends one card now and prints what WeCom received and who was skipped. */
export async function demoReportCard(deps: Deps, sim: Simulator, usernames: [reader: string, outsider: string]): Promise<void> {
  const admin = await findUserByUsername(deps.db, 'admin');
  if (!admin) return;
  let report = await deps.db.selectFrom('reports').select(['id', 'name']).where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirst();
  if (!report) {
    await seedSampleContent(deps, admin.id);
    report = await deps.db.selectFrom('reports').select(['id', 'name']).where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow();
  }
  const [reader, outsider] = await Promise.all(usernames.map((u) => findUserByUsername(deps.db, u)));
  if (!reader || !outsider) return;
  // The reader is matched to its WeCom member and may view the report; the outsider may not.
  for (const u of [reader, outsider]) {
    if (await findBindingByUser(deps.db, u.id)) continue;
    const member = [...sim.corp.members.values()].find((m) => m.userid.toLowerCase() === u.username);
    if (member) await deps.db.transaction().execute((trx) => insertBinding(trx, { userId: u.id, wecomUserid: member.userid, source: 'manual', matchedBy: admin.id }));
  }
  const grants = await getGrants(deps.db, report.id);
  if (!grants.users.includes(reader.id)) await replaceGrants(deps.db, report.id, { ...grants, users: [...grants.users, reader.id] });
  let sub = await deps.db.selectFrom('report_subscriptions').selectAll().where('report_id', '=', report.id).executeTakeFirst();
  if (!sub) {
    const id = await createSubscription(
      deps.db,
      report.id,
      { title: null, schedule: { kind: 'daily', time: '08:00' }, recipients: { users: [reader.id, outsider.id], groups: [], departments: [] }, filters: { region: ['华东'] }, enabled: true },
      admin.id,
    );
    sub = await deps.db.selectFrom('report_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  const { sendId } = await sendSubscription(deps, sub, 'manual', new Date());
  const send = (await listSends(deps.db, sub.id, 5)).find((s) => s.id === sendId)!;
  const card = send.card;
  const received = sim.controls.sentMessages().at(-1);
  console.log(`
  Report card (订阅推送) for “${report.name}”, daily 08:00 China time, filter 区域 = 华东 — sent now:
    WeCom delivered to: ${received?.delivered.join(', ') || '(nobody)'}
    ┌ ${card?.title ?? '—'}   ${card?.description ?? ''}
${(card?.items ?? []).map((i) => `    │ ${i.key}: ${i.value}`).join('\n')}
    └ opens ${card?.page ?? '—'}
    Send record: ${send.status}, ${send.sent} delivered, ${send.skipped} skipped
${send.recipients.filter((r) => r.status !== 'sent').map((r) => `      skipped ${r.name} (${r.wecomUserid ?? 'no WeCom'}): ${r.status}`).join('\n')}
  See it in the web app: 报表 → ${report.name} → 订阅推送.`);
}
