import type { WecomCheckName, WecomCheckResult, WecomTestResult } from '@shulan/shared';
import type { Msg } from '../errors.js';
import { msg, waitText } from '../errors.js';
import type { Lang } from '../http/route.js';
import type { WecomBreaker } from './WecomBreaker.js';
import type { WecomClient } from './WecomClient.js';
import { WecomError, explainErrcode } from './wecomErrors.js';
import type { WecomMember } from './wecomTypes.js';

/** user/list calls spent counting members; enough to prove visibility without walking a 5k-department tree. */
const MAX_DEPARTMENTS_SCANNED = 30;

/** A code no wx.qy.login ever issued: WeCom answers 40029 for the right Secret, 48002 for another app's. */
const PROBE_CODE = 'shulan-connection-test';

const MP = '企业微信管理后台 → 应用管理 → 小程序 → 关联的小程序';
const MP_EN = 'WeCom admin console → App Management → Mini Programs → the associated mini program';

/**
 * Checks each prerequisite of the integration separately and says what to do for each failure:
 * token (Corp ID + Secret), trusted IP, the Secret being the mini program's, the visible range,
 * whether members' mobiles are readable, and whether WeCom's frequency limit has paused any API
 * (then mini-program logins wait too). Never throws for a WeCom problem.
 */
export async function testWecomConnection(
  client: WecomClient | null,
  lang: Lang,
  limits: { breaker: WecomBreaker; corpId: string | null },
  syncClient: WecomClient | null = null,
): Promise<WecomTestResult> {
  const outcomes = [...(await checkWecomConnection(client)), rateLimitCheck(limits), await syncModeCheck(syncClient)];
  const checks = outcomes.map((c) => ({ ...c, ok: c.severity === 'ok' || c.severity === 'warning', message: c.message[lang] }));
  return { ok: checks.every((c) => c.severity !== 'error'), checks };
}

/** Whether WeCom's frequency limit made Shulan pause an API (then mini-program logins wait too). */
function rateLimitCheck(limits: { breaker: WecomBreaker; corpId: string | null }): WecomCheckOutcome {
  const pauses = limits.corpId ? limits.breaker.active(limits.corpId) : [];
  const message =
    pauses.length === 0
      ? msg('企业微信没有限制本服务器的调用频率', 'WeCom is not limiting how often this server calls it')
      : msg(
          `企业微信接口调用过于频繁，数览已暂停调用：${pauses.map((p) => `${p.path}（${p.errcode}，还剩 ${waitText(limits.breaker.secondsLeft(p)).zh}）`).join('；')}。期间小程序登录会请用户稍后再试；若经常出现，请检查是否有人反复调用登录接口`,
          `WeCom refused calls as too frequent, so Shulan has paused: ${pauses.map((p) => `${p.path} (${p.errcode}, ${waitText(limits.breaker.secondsLeft(p)).en} left)`).join('; ')}. Meanwhile mini-program logins ask people to try again later; if this happens often, check for someone calling the login route repeatedly`,
        );
  return { check: 'rate_limit', severity: pauses.length === 0 ? 'ok' : 'error', message };
}

const SYNC_ADMIN = '企业微信管理后台 → 管理工具 → 通讯录同步';
const SYNC_ADMIN_EN = 'WeCom admin console → Management Tools → Contacts Sync';

/** Which way the sync lists members (with or without the contact-sync Secret) and what it misses. */
async function syncModeCheck(syncClient: WecomClient | null): Promise<WecomCheckOutcome> {
  if (!syncClient) {
    return {
      check: 'sync_mode',
      severity: 'ok',
      message: msg(
        `按部门同步：未填写通讯录同步 Secret，同步逐个列出可见范围内各部门的成员。会漏掉单独加入可见范围、所在部门不在可见范围内的成员（他们仍可登录，首次登录时会单独向企业微信核实）；如有这类成员，请填写 ${SYNC_ADMIN} 中的 Secret`,
        `By department: no contact-sync Secret, so the sync lists the members of each visible department. It misses members added to the visible range one by one whose department is not visible (they can still log in; their first login is checked with WeCom individually); if you have such members, enter the Secret from ${SYNC_ADMIN_EN}`,
      ),
    };
  }
  try {
    await syncClient.listMemberIds(undefined, 1);
  } catch (err) {
    const e = asWecomError(err);
    const m =
      e.errcode === 48002
        ? msg(`填写的通讯录同步 Secret 不是通讯录同步的 Secret：请从 ${SYNC_ADMIN} 复制`, `The contact-sync Secret entered is not the Contacts Sync Secret: copy it from ${SYNC_ADMIN_EN}`)
        : msg(`通讯录同步 Secret 无法使用：${e.msg.zh}`, `The contact-sync Secret does not work: ${e.msg.en}`);
    return { check: 'sync_mode', severity: 'error', message: m };
  }
  return {
    check: 'sync_mode',
    severity: 'ok',
    message: msg(
      '按成员 ID 同步：用通讯录同步 Secret 经 user/list_id 取得全企业成员 ID，单独加入可见范围的成员也会逐个读取（user/get）。仍不会同步可见范围之外的成员；手机号、邮箱能否读取仍取决于小程序应用（见上）',
      'By member id: the contact-sync Secret lists every member id of the corp (user/list_id), so members added to the visible range one by one are read too (user/get). Members outside the visible range are still not synced; whether mobiles and emails are readable still depends on the mini program app (see above)',
    ),
  };
}

/** One prerequisite's outcome in both languages (`shulan doctor` prints both). */
export interface WecomCheckOutcome {
  check: WecomCheckName;
  severity: WecomCheckResult['severity'];
  message: Msg;
}

/** The checks of testWecomConnection, with messages in both languages. */
export async function checkWecomConnection(client: WecomClient | null): Promise<WecomCheckOutcome[]> {
  const checks: WecomCheckOutcome[] = [];
  const add = (check: WecomCheckName, severity: WecomCheckResult['severity'], m: Msg) => checks.push({ check, severity, message: m });
  const skipRest = (from: WecomCheckName[]) => {
    for (const c of from) add(c, 'skipped', msg('未检查：请先解决上面的问题', 'Not checked: fix the problem above first'));
  };

  if (!client) {
    add('settings', 'error', msg('请先填写企业ID和 Secret', 'Fill in the Corp ID and the Secret first'));
    skipRest(['token', 'trusted_ip', 'miniprogram_secret', 'visible_range', 'sensitive_fields']);
    return checks;
  }
  add('settings', 'ok', msg('企业ID和 Secret 已填写', 'Corp ID and Secret are filled in'));

  // 1. Token. gettoken may itself refuse an untrusted IP; then the IP check carries the fix.
  try {
    await client.accessToken();
    add('token', 'ok', msg('已用企业ID和 Secret 获取 access_token', 'Obtained an access token with the Corp ID and Secret'));
  } catch (err) {
    const e = asWecomError(err);
    if (e.errcode === 60020) {
      add('token', 'error', msg('获取 access_token 被拒绝：本服务器 IP 不受信任（见下一项）', 'Getting the access token was refused: this server\'s IP is not trusted (see the next check)'));
      add('trusted_ip', 'error', e.msg);
      skipRest(['miniprogram_secret', 'visible_range', 'sensitive_fields']);
    } else {
      add('token', 'error', e.msg);
      skipRest(['trusted_ip', 'miniprogram_secret', 'visible_range', 'sensitive_fields']);
    }
    return checks;
  }

  // 2. Trusted IP: business APIs are refused with 60020 from an IP outside 企业可信IP.
  let departments: { id: number }[] | null = null;
  let departmentError: WecomError | null = null;
  try {
    departments = await client.listDepartments();
  } catch (err) {
    departmentError = asWecomError(err);
  }
  if (departmentError?.errcode === 60020) {
    add('trusted_ip', 'error', departmentError.msg);
    skipRest(['miniprogram_secret', 'visible_range', 'sensitive_fields']);
    return checks;
  }
  add('trusted_ip', 'ok', msg('本服务器的 IP 在企业可信IP中', "This server's IP is among the trusted IPs"));

  // 3. The Secret must be the associated mini program's, or jscode2session answers 48002.
  try {
    await client.code2Session(PROBE_CODE);
    add('miniprogram_secret', 'ok', msg('Secret 属于关联的小程序', 'The Secret belongs to the associated mini program'));
  } catch (err) {
    const e = asWecomError(err);
    if (e.errcode === 40029) {
      add('miniprogram_secret', 'ok', msg('Secret 属于关联的小程序，可以用于小程序登录', 'The Secret belongs to the associated mini program and can log users in'));
    } else {
      add('miniprogram_secret', 'error', e.msg);
    }
  }

  // 4. Visible range: departments, then members department by department (user/list does not recurse).
  if (departmentError || !departments) {
    add('visible_range', 'error', departmentError?.msg ?? explainErrcode(60011));
    skipRest(['sensitive_fields']);
    return checks;
  }
  if (departments.length === 0) {
    add(
      'visible_range',
      'error',
      msg(
        `小程序的可见范围内没有部门：请在${MP} → 可见范围 中添加需要使用数览的部门或成员`,
        `No department is visible to the mini program: add the departments or members who use Shulan under ${MP_EN} → Visible range`,
      ),
    );
    skipRest(['sensitive_fields']);
    return checks;
  }
  const members = new Map<string, WecomMember>();
  const scanned = departments.slice(0, MAX_DEPARTMENTS_SCANNED);
  let memberError: WecomError | null = null;
  for (const d of scanned) {
    try {
      for (const m of await client.listMembers(d.id)) members.set(m.userid, m);
    } catch (err) {
      memberError = asWecomError(err);
      break;
    }
  }
  const partial = scanned.length < departments.length;
  if (members.size === 0) {
    add(
      'visible_range',
      'error',
      memberError?.msg ??
        msg(
          `可见范围内有 ${departments.length} 个部门，但没有成员：请在${MP} → 可见范围 中添加成员所在的部门`,
          `${departments.length} departments are visible but no members: add the members' departments under ${MP_EN} → Visible range`,
        ),
    );
    skipRest(['sensitive_fields']);
    return checks;
  }
  add(
    'visible_range',
    'ok',
    partial
      ? msg(
          `可见 ${departments.length} 个部门；前 ${scanned.length} 个部门中有 ${members.size} 名成员`,
          `${departments.length} departments visible; ${members.size} members in the first ${scanned.length}`,
        )
      : msg(`可见 ${departments.length} 个部门、${members.size} 名成员`, `${departments.length} departments and ${members.size} members visible`),
  );

  // 5. Sensitive fields: apps created after 2022-06-20 no longer read mobiles.
  const readable = [...members.values()].some((m) => (m.mobile ?? '') !== '');
  if (readable) {
    add('sensitive_fields', 'ok', msg('可以读取成员手机号：可按手机号直接匹配', "Members' mobiles are readable: matching by mobile uses them directly"));
  } else {
    add(
      'sensitive_fields',
      'warning',
      msg(
        '无法读取成员手机号（2022 年 6 月 20 日之后创建的应用读不到手机号、邮箱等敏感字段）：按手机号匹配时将用每位用户的手机号逐个调用 user/getuserid 查询，登录不受影响',
        "Members' mobiles are not readable (apps created after 2022-06-20 cannot read mobile, email and other sensitive fields): matching by mobile will look each user's mobile up with user/getuserid instead; login is not affected",
      ),
    );
  }
  return checks;
}

function asWecomError(err: unknown): WecomError {
  if (err instanceof WecomError) return err;
  throw err;
}
