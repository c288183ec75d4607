import { msg } from '../errors.js';
import { listVisibleReportIds } from '../reports/access.js';
import { reviewerStatus } from '../reviewer/reviewerService.js';
import { readReleased } from '../reviewer/reviewerStore.js';
import { findUserById, toSessionUser } from '../users/userRepo.js';
import { fail, ok, type DoctorCheck } from './types.js';

const PLACE = msg('企业微信集成设置 → 微信审核测试账号', 'WeCom integration → WeChat reviewer account');

export const reviewerCheck: DoctorCheck = {
  id: 'reviewer',
  title: msg('微信审核测试账号：发布前存在，发布后删除', 'Reviewer account: present before release, removed after'),
  async run(ctx) {
    const { db } = ctx.deps;
    const released = ctx.opts.released ?? (await readReleased(db));
    const { account } = await reviewerStatus(ctx.deps);
    if (released) {
      if (!account) return ok(msg('小程序已发布，审核测试账号已删除', 'Released, and the reviewer account is gone'));
      return fail(
        msg(`小程序已发布，但审核测试账号 ${account.username} 还在`, `Released, but the reviewer account ${account.username} still exists`),
        msg(`删除它：shulan reviewer remove，或 ${PLACE.zh} → 删除`, `Remove it: shulan reviewer remove, or ${PLACE.en} → Remove`),
      );
    }
    if (!account) {
      return fail(
        msg('还没有微信审核测试账号（提交审核时要填写）', 'No reviewer account yet (the submission form asks for one)'),
        msg(
          `创建一个：shulan reviewer create，或 ${PLACE.zh} → 创建；已经发布并删除了账号，就用 --released（或页面上的“已发布”）检查`,
          `Create one: shulan reviewer create, or ${PLACE.en} → Create; if the mini program is released and the account removed, check with --released (or "released" on the page)`,
        ),
      );
    }
    // Still least privilege? An admin may have changed the account since.
    const user = await findUserById(db, account.userId);
    const visible = user ? await listVisibleReportIds(db, toSessionUser(user)) : [];
    const problems = [
      !user && msg('账号已不存在', 'the account is gone'),
      user && user.status !== 'active' && msg('账号已停用', 'the account is disabled'),
      user && user.role !== 'viewer' && msg(`角色是 ${user.role}，应为查看者`, `its role is ${user.role}, not viewer`),
      user && (visible === null || visible.length !== 1 || visible[0] !== account.reportId) && msg('能看到的报表不止它自己的那一张', 'it can see more than its own report'),
    ].filter((p): p is { zh: string; en: string } => !!p);
    if (problems.length) {
      return fail(
        msg(`审核测试账号 ${account.username}：${problems.map((p) => p.zh).join('、')}`, `Reviewer account ${account.username}: ${problems.map((p) => p.en).join(', ')}`),
        msg(`删除后重新创建：shulan reviewer remove && shulan reviewer create`, 'Remove it and create a new one: shulan reviewer remove && shulan reviewer create'),
      );
    }
    return ok(msg(`${account.username} 只能查看「${account.reportName}」（发布后删除）`, `${account.username} sees only "${account.reportName}" (remove it after release)`));
  },
};
