import type { ErrorCode } from '@shulan/shared';

/** A message in both UI languages; the error handler picks one from Accept-Language. */
export interface Msg {
  zh: string;
  en: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly msg: Msg,
    readonly details?: unknown,
  ) {
    super(msg.en);
  }
}

export const msg = (zh: string, en: string): Msg => ({ zh, en });

export class ValidationError extends AppError {
  constructor(m: Msg, details?: unknown) {
    super(400, 'validation_error', m, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(m: Msg = msg('请先登录', 'Please log in first')) {
    super(401, 'unauthorized', m);
  }
}
export class ForbiddenError extends AppError {
  constructor(m: Msg = msg('没有权限执行此操作', 'You do not have permission to do this')) {
    super(403, 'forbidden', m);
  }
}
export class NotFoundError extends AppError {
  constructor(what: Msg) {
    super(404, 'not_found', msg(`${what.zh}不存在`, `${what.en} not found`));
  }
}
export class ConflictError extends AppError {
  constructor(m: Msg) {
    super(409, 'conflict', m);
  }
}
export class TooManyRequestsError extends AppError {
  /** Seconds until a retry may succeed; sent as the Retry-After header. */
  constructor(
    m: Msg,
    readonly retryAfter?: number,
  ) {
    super(429, 'too_many_requests', m);
  }
}
export class UpstreamError extends AppError {
  constructor(m: Msg, details?: unknown) {
    super(502, 'upstream_error', m, details);
  }
}

/**
 * A database refused a query. `msg` carries the engine's words (without SQL text) for editors
 * fixing a dataset; people who only view reports get `plain`, and the log gets `logText`.
 */
export class QueryFailedError extends AppError {
  constructor(
    status: 400 | 502,
    m: Msg,
    readonly plain: Msg,
    readonly logText: string,
  ) {
    super(status, status === 400 ? 'validation_error' : 'upstream_error', m);
  }
}

/** "45 秒" / "45 s" under a minute, else whole minutes rounded up: for "try again in …" messages. */
export function waitText(seconds: number): Msg {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return msg(`${s} 秒`, `${s} s`);
  const m = Math.ceil(s / 60);
  return msg(`${m} 分钟`, `${m} min`);
}
