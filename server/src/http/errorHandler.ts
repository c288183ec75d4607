import type { ApiErrorBody } from '@shulan/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, QueryFailedError, TooManyRequestsError, msg, type Msg } from '../errors.js';
import { langOf } from './lang.js';

/** One place turns any thrown error into `{error:{code,message}}`; 5xx hide internals. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body, retryAfter } = errorResponse(err, req);
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  void reply.status(status).send(body);
}

/** The status and body an error answers with (also each failed widget of a report data call). */
export function errorResponse(err: unknown, req: FastifyRequest): { status: number; body: ApiErrorBody; retryAfter?: number } {
  const lang = langOf(req);
  const send = (status: number, code: ApiErrorBody['error']['code'], m: Msg, details?: unknown) => {
    const body: ApiErrorBody = { error: { code, message: m[lang], ...(details !== undefined ? { details } : {}) } };
    const retryAfter = err instanceof TooManyRequestsError && err.retryAfter !== undefined ? Math.ceil(err.retryAfter) : undefined;
    return { status, body, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  };

  if (err instanceof QueryFailedError) {
    req.log.warn({ reason: err.logText }, 'query failed');
    // The engine's words help whoever can fix the dataset; a viewer cannot, and gets a plain sentence.
    const canFix = req.user?.role === 'editor' || req.user?.role === 'admin';
    return send(err.status, err.code, canFix ? err.msg : err.plain);
  }
  if (err instanceof AppError) return send(err.status, err.code, err.msg, err.details);
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const text = `${where}${first?.message ?? 'invalid input'}`;
    return send(400, 'validation_error', msg(`输入有误：${text}`, `Invalid input: ${text}`), {
      issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const fe = err as Partial<FastifyError>;
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 413) {
    return send(413, 'payload_too_large', msg('请求内容过大', 'The request is too large'));
  }
  if (status === 415) {
    return send(415, 'validation_error', msg('不支持的内容类型，请以 JSON 发送', 'Unsupported content type; send JSON'));
  }
  if (status === 429) {
    return send(429, 'too_many_requests', msg('请求过于频繁，请稍后再试', 'Too many requests; try again later'));
  }
  if (status >= 400 && status < 500) {
    const isJson = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError;
    if (isJson) return send(400, 'validation_error', msg('请求体不是有效的 JSON', 'The request body is not valid JSON'));
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return send(400, 'validation_error', msg('请求体为空，需要 JSON', 'The request body is empty; JSON expected'));
    }
    return send(status, 'validation_error', msg(`请求无效：${fe.message ?? ''}`, `Bad request: ${fe.message ?? ''}`));
  }
  req.log.error({ err }, 'unhandled error');
  return send(500, 'internal_error', msg('服务器内部错误，已记录日志', 'Internal server error; it has been logged'));
}
