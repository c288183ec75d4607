import { UpstreamError, msg, waitText, type Msg } from '../errors.js';
import type { WecomPause } from './WecomBreaker.js';

/** Why a WeCom call failed: an errcode from WeCom, or the transport before any errcode. */
export type WecomFailure = 'api' | 'timeout' | 'http' | 'invalid_response' | 'network';

/**
 * A failed WeCom call, already translated into what the admin must do. Carries the errcode
 * (null for transport failures) and the API path, never the token, secret or full URL.
 */
export class WecomError extends UpstreamError {
  constructor(
    readonly errcode: number | null,
    readonly failure: WecomFailure,
    readonly path: string,
    m: Msg,
  ) {
    super(m, errcode === null ? { failure } : { errcode });
  }
}

/**
 * WeCom refused the call as too frequent, or an earlier refusal paused this API (WecomBreaker):
 * the call did not happen. `retryAfter` is in seconds.
 */
export class WecomPausedError extends WecomError {
  constructor(
    readonly pause: WecomPause,
    readonly retryAfter: number,
  ) {
    const w = waitText(retryAfter);
    super(
      pause.errcode,
      'api',
      pause.path,
      msg(
        `企业微信接口调用过于频繁（${pause.errcode}），数览暂停调用 ${pause.path} ${w.zh}，之后自动恢复`,
        `WeCom refused ${pause.path} as called too often (${pause.errcode}); Shulan pauses calling it for ${w.en}, then resumes by itself`,
      ),
    );
  }
}

/** Errcodes meaning "this access_token is no good": drop it, fetch a new one, retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 40001]);

/**
 * Errcodes worth retrying after a short pause: only "system busy". Frequency limits block for a
 * minute or more (the breaker handles them); everything else (40029 a bad code, 60020 an
 * untrusted IP, …) answers the same however often it is asked.
 */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1]);

const MINI_PROGRAM_PATH = '企业微信管理后台 → 应用管理 → 小程序 → 关联的小程序';
const MINI_PROGRAM_PATH_EN = 'WeCom admin console → App Management → Mini Programs → the associated mini program';

/** The short text of a WeCom errmsg, without the hint and the "more info" link. */
export function shortErrmsg(errmsg: string | undefined): string {
  return (errmsg ?? '').split(', hint:')[0]!.slice(0, 200);
}

/** The caller IP WeCom reports in errmsg ("from ip: 1.2.3.4"), if any. */
export function callerIpOf(errmsg: string | undefined): string | null {
  const m = /from ip: ([0-9a-fA-F.:]{3,45})/.exec(errmsg ?? '');
  return m ? m[1]! : null;
}

/** Translates a WeCom errcode into what the admin has to do, in both UI languages. */
export function explainErrcode(errcode: number, errmsg?: string): Msg {
  switch (errcode) {
    case -1:
      return msg('企业微信系统繁忙，重试后仍失败：请稍后再试', 'WeCom is busy and still failed after retries: try again later');
    case 40001:
      return msg(
        `Secret 不正确：请在${MINI_PROGRAM_PATH}的详情页查看 Secret 并重新填写`,
        `The Secret is wrong: copy it again from ${MINI_PROGRAM_PATH_EN} (its detail page)`,
      );
    case 40013:
      return msg(
        '企业ID（Corp ID）不正确：请在企业微信管理后台 → 我的企业 → 企业信息 中复制企业ID',
        'The Corp ID is wrong: copy it from WeCom admin console → My Enterprise → Enterprise Information',
      );
    case 40014:
    case 42001:
      return msg(
        '企业微信拒绝了访问凭证（access_token），重新获取后仍失败：若刚重置过 Secret，请在设置中填写新的 Secret',
        'WeCom rejected the access token even after fetching a new one: if the Secret was just reset, enter the new Secret in the settings',
      );
    case 40029:
      return msg(
        '登录凭证无效、已使用或已过期（code 只能使用一次，5 分钟内有效）：请重新打开小程序',
        'The login code is invalid, already used or expired (a code works once, within 5 minutes): reopen the mini program',
      );
    case 40091:
      return msg(
        'Secret 不合法，可能是其他企业的 Secret：请确认企业ID与 Secret 来自同一个企业',
        'The Secret is not valid for this corp (perhaps another corp\'s Secret): make sure the Corp ID and the Secret belong to the same enterprise',
      );
    case 41001:
    case 41002:
    case 41004:
      return msg('缺少企业ID或 Secret：请在企业微信集成设置中填写', 'The Corp ID or the Secret is missing: fill them in the WeCom integration settings');
    case 45009:
      return msg(
        '调用企业微信接口过于频繁，已被限流：请等待 1 分钟（小时级限制为 1 小时）后再试',
        'WeCom rate limit reached: wait a minute (an hour for the hourly limit) and try again',
      );
    case 45033:
      return msg('同时调用企业微信接口的请求过多：请稍后再试', 'Too many concurrent calls to WeCom: try again shortly');
    case 48002:
      return msg(
        `Secret 不是在企业微信中关联的小程序的 Secret：请从${MINI_PROGRAM_PATH}复制 Secret（不要用自建应用或通讯录同步的 Secret）`,
        `The Secret is not the one of the mini program associated in WeCom: copy the Secret from ${MINI_PROGRAM_PATH_EN} (not a self-built app's or the contact-sync Secret)`,
      );
    case 50003:
      return msg('该小程序应用已被停用：请在企业微信管理后台 → 应用管理 中启用它', 'The mini program app is disabled: enable it in WeCom admin console → App Management');
    case 60011:
    case 60021:
    case 50002:
    case 92000:
      return msg(
        `成员或部门不在小程序的可见范围内：请在${MINI_PROGRAM_PATH} → 可见范围 中加入相应部门或成员`,
        `The member or department is outside the mini program's visible range: add it under ${MINI_PROGRAM_PATH_EN} → Visible range`,
      );
    case 60020: {
      const ip = callerIpOf(errmsg);
      const zhIp = ip ? `（${ip}）` : '';
      const enIp = ip ? ` (${ip})` : '';
      return msg(
        `把本服务器的公网 IP${zhIp}加入${MINI_PROGRAM_PATH} → 企业可信IP（配置后约 1 分钟生效）`,
        `Add this server's public IP${enIp} to ${MINI_PROGRAM_PATH_EN} → Trusted IPs (takes about a minute to apply)`,
      );
    }
    case 46004:
    case 60111:
      return msg('企业微信中没有这个成员（或不在可见范围内）', 'No such member in WeCom (or outside the visible range)');
    case 60003:
    case 60123:
      return msg('企业微信中没有这个部门', 'No such department in WeCom');
    case 60103:
      return msg('手机号格式不正确', 'The mobile number is not valid');
    case 81013:
    case 82001:
      return msg('企业微信拒绝了全部接收人（不存在、已停用或不在小程序可见范围内）', 'WeCom refused every recipient (unknown, disabled or outside the mini program\'s visible range)');
    case 40063:
      return msg(
        `AppID 不是与该 Secret 对应的小程序：请核对${MINI_PROGRAM_PATH}的 AppID`,
        `The AppID is not the mini program of this Secret: check the AppID under ${MINI_PROGRAM_PATH_EN}`,
      );
    case 92002:
      return msg('不允许跨企业调用：该用户属于其他企业', 'Cross-corp call refused: the user belongs to another enterprise');
    default: {
      const text = shortErrmsg(errmsg);
      return msg(`企业微信返回错误 ${errcode}${text ? `（${text}）` : ''}`, `WeCom returned error ${errcode}${text ? ` (${text})` : ''}`);
    }
  }
}

/** Translates a transport failure (nothing usable came back from WeCom). */
export function explainFailure(failure: Exclude<WecomFailure, 'api'>, detail: { timeoutMs?: number; status?: number; host?: string }): Msg {
  switch (failure) {
    case 'timeout': {
      const s = Math.max(1, Math.round((detail.timeoutMs ?? 0) / 1000));
      const host = detail.host ?? 'qyapi.weixin.qq.com';
      return msg(
        `连接企业微信超时（${s} 秒）：请检查本服务器能否访问 ${host}（出站网络、代理、防火墙）`,
        `WeCom did not answer within ${s} s: check that this server can reach ${host} (outbound network, proxy, firewall)`,
      );
    }
    case 'http':
      return msg(
        `企业微信服务返回 HTTP ${detail.status ?? '?'}，重试后仍失败：请稍后再试`,
        `WeCom answered HTTP ${detail.status ?? '?'} and still failed after retries: try again later`,
      );
    case 'invalid_response':
      return msg(
        '企业微信返回了无法识别的内容（可能被代理或防火墙截断）：请稍后再试，并检查出站代理',
        'WeCom answered something unreadable (perhaps cut off by a proxy or firewall): try again later and check the outbound proxy',
      );
    case 'network':
      return msg(
        `无法连接企业微信（${detail.host ?? 'qyapi.weixin.qq.com'}）：请检查本服务器的出站网络、DNS 和代理设置`,
        `Cannot connect to WeCom (${detail.host ?? 'qyapi.weixin.qq.com'}): check this server's outbound network, DNS and proxy settings`,
      );
  }
}
