import type { LoginResult, SessionUser, SiteInfo, WecomBindResult, WecomLoginResult } from '@shulan/shared';
import { t } from '../utils/i18n';
import { storage } from '../utils/storage';
import { ApiError, request } from './request';

/** Bootstrap info of the site, plus the watermark switch added for the mini program. */
export type Site = SiteInfo & { watermark?: boolean };

export interface Me {
  user: SessionUser;
  wecomUserid?: string | null;
}

export function fetchSite(domain?: string): Promise<Site> {
  return request<Site>({ path: '/api/site', anonymous: true, ...(domain ? { domain } : {}) });
}

/** True inside the WeCom app (not plain WeChat). */
export function isWecom(): boolean {
  try {
    return wx.getSystemInfoSync().environment === 'wxwork' && !!wx.qy;
  } catch {
    return false;
  }
}

/** wx.qy.login as a promise: the one-time code the server exchanges with WeCom. */
export function qyLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const qy = wx.qy;
    if (!qy) {
      reject(new ApiError('wecom_unavailable', t('wecomUnavailable')));
      return;
    }
    qy.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new ApiError('wecom_unavailable', t('wecomUnavailable')))),
      fail: () => reject(new ApiError('wecom_unavailable', t('wecomUnavailable'))),
    });
  });
}

export type WecomLoginOutcome = { status: 'ok'; user: SessionUser } | { status: 'needs_binding'; bindTicket: string; wecomUserid: string };

/** Silent login inside WeCom: a session for a bound member, or a ticket to bind once. */
export async function loginWithWecom(): Promise<WecomLoginOutcome> {
  const code = await qyLogin();
  const res = await request<WecomLoginResult>({ method: 'POST', path: '/api/wecom/login', data: { code }, anonymous: true });
  if (res.status === 'ok') {
    storage.setSession(res.token, res.user);
    return { status: 'ok', user: res.user };
  }
  return { status: 'needs_binding', bindTicket: res.bindTicket, wecomUserid: res.wecomUserid };
}

export async function bindAndLogin(bindTicket: string, username: string, password: string): Promise<SessionUser> {
  const res = await request<WecomBindResult>({ method: 'POST', path: '/api/wecom/bind', data: { bindTicket, username, password }, anonymous: true });
  storage.setSession(res.token, res.user);
  return res.user;
}

/** `startReportId`: only for WeChat's reviewer account, whose one report opens straight away. */
export async function loginWithPassword(username: string, password: string): Promise<{ user: SessionUser; startReportId: string | null }> {
  const res = await request<LoginResult>({ method: 'POST', path: '/api/auth/login', data: { username, password, mode: 'token' }, anonymous: true });
  if (!res.token) throw new ApiError('internal_error', t('unreachable'));
  storage.setSession(res.token, res.user);
  return { user: res.user, startReportId: res.startReportId ?? null };
}

export function fetchMe(): Promise<Me> {
  return request<Me>({ path: '/api/auth/me' });
}

export async function logout(): Promise<void> {
  try {
    await request<unknown>({ method: 'POST', path: '/api/auth/logout' });
  } finally {
    storage.clearSession();
  }
}
