import type { SessionUser } from '@shulan/shared';
import { claimOfflineCache, clearOfflineCache } from './offlineCache';

/** Everything the app keeps on the phone, under these keys only. */
const KEYS = { domain: 'shulan.domain', token: 'shulan.token', user: 'shulan.user', recent: 'shulan.recent', notice: 'shulan.notice', returnTo: 'shulan.returnTo' } as const;

function get<T>(key: string): T | null {
  const v = wx.getStorageSync(key) as T | '' | undefined;
  return v === '' || v === undefined || v === null ? null : v;
}

export const storage = {
  domain: (): string | null => get<string>(KEYS.domain),
  setDomain: (d: string): void => wx.setStorageSync(KEYS.domain, d),
  clearDomain: (): void => wx.removeStorageSync(KEYS.domain),
  token: (): string | null => get<string>(KEYS.token),
  user: (): SessionUser | null => get<SessionUser>(KEYS.user),
  setSession(token: string, user: SessionUser): void {
    // Another user on this phone must never see the previous one's offline data.
    claimOfflineCache(user.id);
    wx.setStorageSync(KEYS.token, token);
    wx.setStorageSync(KEYS.user, user);
  },
  clearSession(): void {
    clearOfflineCache();
    wx.removeStorageSync(KEYS.token);
    wx.removeStorageSync(KEYS.user);
  },
  /** Report ids, most recently opened first. */
  recent: (): string[] => get<string[]>(KEYS.recent) ?? [],
  setRecent: (ids: string[]): void => wx.setStorageSync(KEYS.recent, ids),
  /** A message for the login page (e.g. "session expired"), shown once. */
  takeNotice(): string | null {
    const n = get<string>(KEYS.notice);
    if (n) wx.removeStorageSync(KEYS.notice);
    return n;
  },
  setNotice: (n: string): void => wx.setStorageSync(KEYS.notice, n),
  /** The page to open after login (a shared report card opened without a session). */
  returnTo: (): string | null => get<string>(KEYS.returnTo),
  setReturnTo: (url: string): void => wx.setStorageSync(KEYS.returnTo, url),
  clearReturnTo: (): void => wx.removeStorageSync(KEYS.returnTo),
};
