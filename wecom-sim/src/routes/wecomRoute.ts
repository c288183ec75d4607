import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App, Corp } from '../corp.js';
import { formatErrmsg, WecomError } from '../errors.js';
import type { Fault } from '../faults.js';
import { drawLatency, type SimState } from '../simulator.js';

export interface CallContext {
  state: SimState;
  corp: Corp;
  ip: string;
  query: Record<string, string>;
  /** Parsed JSON body of POST calls ({} when empty). */
  body: unknown;
}

export interface AppCallContext extends CallContext {
  app: App;
}

export type Payload = Record<string, unknown>;

interface RouteDef {
  method: 'GET' | 'POST';
  /** Path after /cgi-bin/, also the endpoint name used by call counts and faults. */
  endpoint: string;
}

export function clientIp(request: FastifyRequest): string {
  return request.ip.replace(/^::ffff:/, '');
}

function firstStrings(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (q && typeof q === 'object') {
    for (const [k, v] of Object.entries(q)) {
      const s = Array.isArray(v) ? v[0] : v;
      if (typeof s === 'string') {
        out[k] = s;
      }
    }
  }
  return out;
}

function parseBody(request: FastifyRequest): unknown {
  const raw = typeof request.body === 'string' ? request.body : '';
  if (raw.trim() === '') {
    return {};
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new WecomError(47001);
  }
}

function send(reply: FastifyReply, payload: Payload, truncate: boolean): FastifyReply {
  const errcode = typeof payload.errcode === 'number' ? payload.errcode : 0;
  const errmsg = typeof payload.errmsg === 'string' ? payload.errmsg : 'ok';
  const json = JSON.stringify(payload);
  return reply
    .code(200)
    .header('content-type', 'application/json; charset=UTF-8')
    .header('error-code', String(errcode))
    // Header values must be printable ASCII; errmsg may echo a caller's non-ASCII userid.
    .header('error-msg', errmsg.replace(/[^\x20-\x7e]/g, '?'))
    .send(truncate ? json.slice(0, Math.max(1, Math.floor(json.length / 2))) : json);
}

/**
 * Every WeCom endpoint goes through here: call counting, injected faults, then the handler.
 * A WecomError from the handler becomes `{errcode, errmsg}` with HTTP 200, as WeCom does.
 */
export function wecomRoute(fastify: FastifyInstance, state: SimState, def: RouteDef, handler: (ctx: CallContext) => Payload | Promise<Payload>): void {
  fastify.route({
    method: def.method,
    url: `/cgi-bin/${def.endpoint}`,
    handler: async (request, reply) => {
      state.countCall(def.endpoint);
      const ip = clientIp(request);
      const fired = state.faults.onCall(def.endpoint);
      const latency = drawLatency(state.latency) + fired.reduce((sum, f) => sum + (f.kind === 'latency' ? (f.latencyMs ?? 1000) : 0), 0);
      if (latency > 0) {
        await new Promise((r) => setTimeout(r, latency));
      }
      const hard = fired.find((f) => f.kind !== 'latency' && f.kind !== 'truncated');
      if (hard) {
        return answerFault(state, reply, hard, ip);
      }
      let payload: Payload;
      try {
        // Frequency limits count every call of the API, per corp and per caller IP.
        if (!state.rate.allow(state.corp.corpid, ip, def.endpoint)) {
          throw new WecomError(45009);
        }
        const ctx: CallContext = { state, corp: state.corp, ip, query: firstStrings(request.query), body: def.method === 'POST' ? parseBody(request) : {} };
        payload = { errcode: 0, errmsg: 'ok', ...(await handler(ctx)) };
      } catch (e) {
        if (!(e instanceof WecomError)) {
          throw e;
        }
        payload = { errcode: e.errcode, errmsg: formatErrmsg(e.errcode, ip, state.now(), e.shortText) };
      }
      return send(reply, payload, fired.some((f) => f.kind === 'truncated'));
    },
  });
}

async function answerFault(state: SimState, reply: FastifyReply, f: Fault, ip: string): Promise<FastifyReply> {
  switch (f.kind) {
    case 'timeout':
      // No answer at all: the request stays open until the client gives up or the simulator closes.
      await new Promise<void>((resolve) => {
        state.held.add(resolve);
      });
      reply.raw.destroy();
      return reply;
    case 'http5xx': {
      const status = f.status ?? 502;
      return reply.code(status).header('content-type', 'text/html').send(`<html><body><h1>${status} Server Error</h1></body></html>`);
    }
    default: {
      const errcode = f.errcode ?? -1;
      return send(reply, { errcode, errmsg: formatErrmsg(errcode, ip, state.now(), f.errmsg) }, false);
    }
  }
}

/** Token, app, trusted-IP and frequency checks shared by every endpoint that takes access_token. */
export function withApp(handler: (ctx: AppCallContext) => Payload | Promise<Payload>): (ctx: CallContext) => Payload | Promise<Payload> {
  return (ctx) => {
    const token = ctx.query.access_token;
    if (!token) {
      throw new WecomError(41001);
    }
    const check = ctx.state.tokens.check(token);
    if (!check.ok) {
      throw new WecomError(check.errcode);
    }
    const app = ctx.corp.apps.find((a) => a.key === check.appKey);
    if (!app) {
      throw new WecomError(40014);
    }
    if (app.trustedIps.length > 0 && !app.trustedIps.includes(ctx.ip)) {
      throw new WecomError(60020);
    }
    return handler({ ...ctx, app });
  };
}
