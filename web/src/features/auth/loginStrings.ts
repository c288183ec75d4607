// The login page's strings in their own module: the lean login route imports these and not the
// whole zh.ts / en.ts (about 100 KB of strings for the rest of the app). zh.ts and en.ts use them too.
import type { LoginErrorCode } from '@shulan/shared';

export const zhLogin = {
  subtitle: '自助式数据报表平台', username: '用户名', password: '密码', submit: '登录',
  showPassword: '显示密码', hidePassword: '隐藏密码', kind: '账号类型',
  usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
  wecomQr: '企业微信扫码登录', or: '或', kindLocal: '数览账号', kindLdap: 'LDAP 账号',
  errors: {
    wecom_off: '企业微信登录未开启，请用账号密码登录', wecom_state: '登录已过期或不是从本浏览器发起的，请重新登录', wecom_denied: '你在企业微信中取消了授权',
    wecom_code: '企业微信登录凭证无效或已过期，请重试', wecom_not_member: '你不是本企业的企业微信成员，不能用企业微信登录',
    wecom_member_inactive: '你的企业微信账号已停用或已离开企业，不能登录数览：如有疑问请联系管理员', wecom_user_disabled: '绑定的数览账号已被停用，请联系管理员',
    oidc_off: '单点登录未开启，请用账号密码登录', oidc_failed: '单点登录没有完成（已取消、已过期或身份提供方出错），请重试', external_no_account: '该账号在数览中还没有对应的账号，请联系管理员', external_disabled: '该账号已被停用，请联系管理员',
    wecom_admin_binding: '管理员账号不能通过自行绑定的企业微信免密登录：请用账号密码登录', wecom_unavailable: '企业微信暂时不可用，请稍后再试或用账号密码登录；管理员可在 企业微信集成设置 中测试连接',
  } satisfies Record<LoginErrorCode, string>,
  bind: {
    title: '绑定数览账号', help: '企业微信成员 {{who}} 首次登录：请输入你的数览账号和密码完成绑定，以后在企业微信中免密进入。',
    submit: '绑定并登录', none: '没有待绑定的企业微信登录，或已超过 10 分钟：请从企业微信重新进入。', back: '返回登录页',
  },
};

export const enLogin: LoginStrings = {
  subtitle: 'Self-service reporting', username: 'Username', password: 'Password', submit: 'Log in',
  showPassword: 'Show password', hidePassword: 'Hide password', kind: 'Account type',
  usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
  wecomQr: 'Log in with WeCom (scan)', or: 'or', kindLocal: 'Shulan account', kindLdap: 'LDAP account',
  errors: {
    wecom_off: 'WeCom login is switched off; log in with your username and password', wecom_state: 'The login expired or was not started in this browser; log in again', wecom_denied: 'You cancelled the authorization in WeCom',
    wecom_code: 'The WeCom login code is invalid or expired; try again', wecom_not_member: 'You are not a WeCom member of this company, so you cannot log in with WeCom',
    wecom_member_inactive: 'Your WeCom account is disabled or has left the company, so it cannot log in: contact your administrator', wecom_user_disabled: 'The Shulan account bound to you is disabled; contact your administrator',
    oidc_off: 'Single sign-on is switched off; log in with your username and password', oidc_failed: 'Single sign-on did not complete (cancelled, expired, or the identity provider failed); try again', external_no_account: 'This account has no Shulan account yet; contact your administrator', external_disabled: 'This account is disabled; contact your administrator',
    wecom_admin_binding: 'Administrator accounts cannot log in without a password through a binding they made themselves: use your username and password', wecom_unavailable: 'WeCom is not available right now; try again later or use your password. Administrators can run the connection test under WeCom integration',
  },
  bind: {
    title: 'Bind your Shulan account', help: 'WeCom member {{who}}, first login: enter your Shulan username and password once; from then on WeCom lets you in without a password.',
    submit: 'Bind and log in', none: 'No WeCom login is waiting to be bound, or more than 10 minutes passed: come in from WeCom again.', back: 'Back to login',
  },
};

export type LoginStrings = typeof zhLogin;
