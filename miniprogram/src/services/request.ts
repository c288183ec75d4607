import type { ErrorCode } from '@shulan/shared';
import { currentDomain } from '../utils/domain';
import { currentLang, t } from '../utils/i18n';
import { storage } from '../utils/storage';

/** What the client adds to the server's codes: no network, server unreachable, no domain yet. */
export type ClientErrorCode = ErrorCode | 'network_down' | 'unreachable' | 'no_domain' | 'wecom_unavailable';

/**
 * Every failed call: `message` is ready to show (the server's own message when it sent one).
 * Test with `isApiError(e)`, never `instanceof`: WeChat's ES5 transform turns `extends Error` into
 * `Error.call(this)`, which hands back a plain Error, so `instanceof ApiError` is false on phones.
 */
export class ApiError extends Error {
  readonly isApiError = true as const;
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for an ApiError, whatever the transform did to its prototype chain. */
export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && (e as { isApiError?: unknown }).isApiError === true && typeof (e as { message?: unknown }).message === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  path: string;
  data?: Record<string, unknown>;
  /** Use this server instead of the saved one (the domain page checks before saving). */
  domain?: string;
  /** Send without the session token (login calls). */
  anonymous?: boolean;
}

/** Called when the server says the session is gone (401); app.ts sends the user to login. */
let onUnauthorized: ((message: string) => void) | null = null;
export function setUnauthorizedHandler(fn: (message: string) => void): void {
  onUnauthorized = fn;
}

/**
 * The server ended the session behind `token` (a 401, or the live socket closing with 4401/4403).
 * Only the first report acts: it clears the session, so the other requests of that session still
 * in flight (a page loads six widgets at once: six 401s) find it gone and relaunch nothing.
 * A session the user has since replaced by logging in again is not touched either.
 */
export function sessionEnded(token: string, message: string): void {
  if (storage.token() !== token) return;
  storage.clearSession();
  onUnauthorized?.(message);
}

function networkType(): Promise<string> {
  return new Promise((resolve) => {
    wx.getNetworkType({ success: (r) => resolve(r.networkType), fail: () => resolve('unknown') });
  });
}

function serverMessage(body: unknown): { code: ErrorCode; message: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const err = (body as { error?: { code?: unknown; message?: unknown } }).error;
  if (!err || typeof err.message !== 'string') return null;
  return { code: (typeof err.code === 'string' ? err.code : 'internal_error') as ErrorCode, message: err.message };
}

/** The only caller of wx.request: base URL, bearer token, language, `{data}` unwrap, ApiError. */
export function request<T>(opts: RequestOptions): Promise<T> {
  const domain = opts.domain ?? currentDomain();
  if (!domain) return Promise.reject(new ApiError('no_domain', t('domainHint')));
  const header: Record<string, string> = { 'Accept-Language': currentLang() === 'en' ? 'en' : 'zh-CN' };
  const token = opts.anonymous ? null : storage.token();
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: domain + opts.path,
      method: opts.method ?? 'GET',
      data: opts.data ?? {},
      header,
      dataType: 'json',
      success(res) {
        const status = res.statusCode;
        if (status >= 200 && status < 300) {
          resolve((res.data as { data: T }).data);
          return;
        }
        const err = serverMessage(res.data);
        if (status === 401 && token) sessionEnded(token, err?.message ?? t('sessionExpired'));
        if (err) reject(new ApiError(err.code, err.message, status));
        // Not our server's JSON (a proxy page, a 502): the server is effectively unreachable.
        else reject(new ApiError('unreachable', t('unreachable'), status));
      },
      fail() {
        void networkType().then((type) => {
          if (type === 'none') reject(new ApiError('network_down', t('networkDown')));
          else reject(new ApiError('unreachable', t('unreachable')));
        });
      },
    });
  });
}
