import { msg, type Msg } from '../../errors.js';
import type { MatchUser } from './matchContext.js';

export interface Reasons {
  missing: (u: MatchUser) => Msg;
  none: (key: string) => Msg;
  severalMembers: (key: string, n: number) => Msg;
  severalUsers: (key: string, n: number) => Msg;
}

export const NAME_REASONS: Reasons = {
  missing: () => msg('数览用户没有显示名', 'The Shulan user has no display name'),
  none: (k) => msg(`企业微信通讯录中没有名为“${k}”的成员`, `No WeCom member is called "${k}"`),
  severalMembers: (k, n) => msg(`企业微信中有 ${n} 个名为“${k}”的成员，请手动选择`, `${n} WeCom members are called "${k}": pick one by hand`),
  severalUsers: (k, n) => msg(`有 ${n} 个数览用户名为“${k}”，无法确定是哪一个`, `${n} Shulan users are called "${k}": cannot tell which one`),
};

export const MOBILE_REASONS: Reasons = {
  missing: (u) => (u.mobile ? msg(`手机号格式无法识别：${u.mobile}`, `Unrecognised mobile number: ${u.mobile}`) : msg('数览用户没有填写手机号', 'The Shulan user has no mobile number')),
  none: (k) => msg(`企业微信通讯录中没有手机号为 ${k} 的成员`, `No WeCom member has the mobile ${k}`),
  severalMembers: (k, n) => msg(`企业微信中有 ${n} 个成员使用手机号 ${k}，请手动选择`, `${n} WeCom members have the mobile ${k}: pick one by hand`),
  severalUsers: (k, n) => msg(`有 ${n} 个数览用户使用同一手机号 ${k}，无法确定是哪一个`, `${n} Shulan users share the mobile ${k}: cannot tell which one`),
};
