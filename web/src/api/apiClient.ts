import type { ApiErrorBody, ErrorCode } from '@shulan/shared';
import { currentLanguage } from '../i18n/lang';

/** What every failed API call throws; `message` is the server's text in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error',
    message: string,
    /** The server's `details` (e.g. the line and column of a SQL error). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** The app shell subscribes here to send the user to the login page on any 401. */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

/** Builds `/api/...?...`, dropping empty query values so the server sees only what the user set. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Multipart uploads pass FormData; the browser sets the boundary header itself. */
  form?: FormData;
  signal?: AbortSignal;
}

/** The only fetch wrapper: adds the CSRF and language headers, unwraps `{data}`, throws ApiError. */
export async function apiRequest<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = commonHeaders();
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', currentLanguage() === 'en' ? 'Cannot reach the server' : '无法连接服务器');
  }

  const payload: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  return unwrap<T>(res.status, payload, path);
}

/** The request headers every call sends. */
function commonHeaders(): Record<string, string> {
  return {
    // The server refuses cookie-authenticated writes without this header (CSRF defence).
    'X-Requested-With': 'shulan',
    'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN',
    Accept: 'application/json',
  };
}

/** `{data}` of a success, or the ApiError of a failure (a 401 also tells the app shell). */
function unwrap<T>(status: number, payload: unknown, path: string): T {
  if (status < 200 || status >= 300) {
    const error = isErrorBody(payload) ? payload.error : null;
    if (status === 401 && !path.startsWith('/auth/login')) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(status, error?.code ?? 'internal_error', error?.message ?? `HTTP ${status}`, error?.details);
  }
  if (payload && typeof payload === 'object' && 'data' in payload) return (payload as { data: T }).data;
  return payload as T;
}

export interface TransferProgress {
  /** Bytes sent so far and in all (the multipart body, a little more than the file). */
  sent: number;
  total: number;
  /** Every byte is with the server; what remains is its answer. */
  done: boolean;
}

/**
 * A multipart upload that reports how many bytes have been sent: fetch cannot tell (streaming
 * request bodies need HTTP/2 and are not in every browser), XMLHttpRequest's upload events can.
 * Same headers and errors as apiRequest.
 */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (p: TransferProgress) => void, query?: Query): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, query));
    for (const [k, v] of Object.entries(commonHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress({ sent: e.loaded, total: e.lengthComputable ? e.total : 0, done: false });
    xhr.upload.onload = () => onProgress({ sent: 1, total: 1, done: true });
    xhr.onerror = () => reject(new ApiError(0, 'network_error', currentLanguage() === 'en' ? 'Cannot reach the server' : '无法连接服务器'));
    xhr.onload = () => {
      let payload: unknown = null;
      try {
        payload = xhr.status === 204 ? null : JSON.parse(xhr.responseText);
      } catch {
        payload = null;
      }
      try {
        resolve(unwrap<T>(xhr.status, payload, path));
      } catch (err) {
        reject(err as Error);
      }
    };
    xhr.send(form);
  });
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === 'object' && x !== null && 'error' in x && typeof (x as ApiErrorBody).error?.message === 'string';
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
  upload: <T>(path: string, form: FormData, query?: Query) => apiRequest<T>('POST', path, { form, query }),
};

/** A readable message for any error a hook may surface. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
