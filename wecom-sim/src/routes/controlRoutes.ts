import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callbackConfigSchema } from '../callbacks.js';
import { departmentSchema, memberSchema } from '../corp.js';
import { faultSchema } from '../faults.js';
import type { Controls, SimState } from '../simulator.js';
import { CLIENT_USER_COOKIE } from './webLoginRoutes.js';

/** Test controls, under /__sim/ so they can never collide with a WeCom path. */
export const CONTROL_PREFIX = '/__sim';

const appRef = z.union([z.string().min(1).max(64), z.number().int()]).transform(String);

function body<T extends z.ZodType>(request: FastifyRequest, schema: T): z.output<T> {
  const raw = typeof request.body === 'string' && request.body.trim() !== '' ? request.body : '{}';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ControlError('body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ControlError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** Like `body`, but keeps only the keys the caller sent, so schema defaults never overwrite fields. */
function patchBody<T extends z.ZodType>(request: FastifyRequest, schema: T): Partial<z.output<T>> {
  const parsed = body(request, schema) as Record<string, unknown>;
  const sent = Object.keys(JSON.parse(typeof request.body === 'string' && request.body.trim() !== '' ? request.body : '{}') as object);
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => sent.includes(k))) as Partial<z.output<T>>;
}

class ControlError extends Error {}

/** Control errors are plain 400 JSON `{error}`: this is our API, not WeCom's. */
async function run(reply: FastifyReply, fn: () => unknown): Promise<FastifyReply> {
  try {
    const out = fn();
    return reply.code(200).send(out === undefined ? { ok: true } : out);
  } catch (e) {
    return reply.code(400).send({ error: e instanceof Error ? e.message : String(e) });
  }
}

export function registerControlRoutes(fastify: FastifyInstance, state: SimState, controls: Controls): void {
  const p = CONTROL_PREFIX;
  fastify.get(`${p}/corp`, async (_req, reply) => run(reply, () => state.corp.toFixture()));

  fastify.post(`${p}/login-code`, async (req, reply) =>
    run(reply, () => {
      const b = body(req, z.strictObject({ userid: z.string().min(1).max(64), app: appRef.optional() }));
      return controls.issueLoginCode(b.userid, b.app);
    }),
  );

  fastify.post(`${p}/tokens/ttl`, async (req, reply) =>
    run(reply, () => {
      controls.setTokenTtl(body(req, z.strictObject({ seconds: z.number().int() })).seconds);
    }),
  );
  fastify.post(`${p}/tokens/expire`, async (req, reply) =>
    run(reply, () => ({ expired: controls.expireTokens(body(req, z.strictObject({ app: appRef.optional() })).app) })),
  );
  fastify.post(`${p}/tokens/revoke`, async (req, reply) =>
    run(reply, () => ({ revoked: controls.revokeTokens(body(req, z.strictObject({ app: appRef.optional() })).app) })),
  );

  fastify.get(`${p}/faults`, async (_req, reply) => run(reply, () => state.faults.list()));
  fastify.post(`${p}/faults`, async (req, reply) => run(reply, () => ({ id: controls.injectFault(body(req, faultSchema)) })));
  fastify.delete(`${p}/faults`, async (_req, reply) => run(reply, () => controls.clearFaults()));

  fastify.put(`${p}/apps/:app/trusted-ips`, async (req, reply) =>
    run(reply, () => {
      const { app } = req.params as { app: string };
      controls.setTrustedIps(app, body(req, z.strictObject({ ips: z.array(z.string().max(64)).max(200) })).ips);
    }),
  );

  fastify.put(`${p}/apps/:app/trusted-domain`, async (req, reply) =>
    run(reply, () => {
      const { app } = req.params as { app: string };
      controls.setTrustedDomain(app, body(req, z.strictObject({ domain: z.string().max(255).nullable() })).domain);
    }),
  );
  fastify.post(`${p}/qr/scan`, async (req, reply) =>
    run(reply, () => controls.scanQrLogin(body(req, z.strictObject({ userid: z.string().min(1).max(64), key: z.string().max(64).optional(), confirm: z.boolean().optional() })))),
  );
  // The simulated WeCom client logs in as a member (a cookie on this host), then goes to `next`.
  fastify.get(`${p}/wecom-client/as`, async (req, reply) => {
    const q = req.query as { userid?: string; next?: string };
    const next = typeof q.next === 'string' && q.next.startsWith('/') && !q.next.startsWith('//') ? q.next : '/';
    if (typeof q.userid !== 'string' || q.userid === '' || q.userid.length > 64) return reply.code(400).send({ error: 'userid: 1..64 characters' });
    return reply.header('set-cookie', `${CLIENT_USER_COOKIE}=${encodeURIComponent(q.userid)}; Path=/; HttpOnly; SameSite=Lax`).redirect(next, 302);
  });

  fastify.post(`${p}/rate-limits`, async (req, reply) =>
    run(reply, () =>
      controls.setRateLimits(
        body(
          req,
          z.strictObject({
            corpPerMinute: z.number().int().min(1).optional(),
            corpPerHour: z.number().int().min(1).optional(),
            ipPerMinute: z.number().int().min(1).optional(),
            ipPerHour: z.number().int().min(1).optional(),
          }),
        ),
      ),
    ),
  );

  fastify.put(`${p}/latency`, async (req, reply) =>
    run(reply, () => controls.setLatency(body(req, z.strictObject({ ms: z.number().int().min(0).max(60_000), jitterMs: z.number().int().min(0).max(60_000).optional() })))),
  );

  fastify.get(`${p}/calls`, async (_req, reply) => run(reply, () => controls.callCounts()));
  fastify.delete(`${p}/calls`, async (_req, reply) => run(reply, () => controls.resetCallCounts()));
  fastify.post(`${p}/clock/advance`, async (req, reply) =>
    run(reply, () => {
      controls.advanceTime(body(req, z.strictObject({ ms: z.number().int().min(0) })).ms);
      return { now: controls.now() };
    }),
  );
  fastify.get(`${p}/messages`, async (_req, reply) => run(reply, () => controls.sentMessages()));
  fastify.post(`${p}/getuserid/reset`, async (_req, reply) => run(reply, () => controls.resetGetuseridFailures()));

  // ---- corp changes between syncs ----
  fastify.post(`${p}/corp/members`, async (req, reply) => run(reply, () => controls.addMember(body(req, memberSchema))));
  fastify.patch(`${p}/corp/members/:userid`, async (req, reply) =>
    run(reply, () => controls.updateMember((req.params as { userid: string }).userid, patchBody(req, memberSchema.partial().omit({ userid: true })))),
  );
  fastify.delete(`${p}/corp/members/:userid`, async (req, reply) => run(reply, () => controls.deleteMember((req.params as { userid: string }).userid)));
  fastify.post(`${p}/corp/departments`, async (req, reply) => run(reply, () => controls.addDepartment(body(req, departmentSchema))));
  fastify.patch(`${p}/corp/departments/:id`, async (req, reply) =>
    run(reply, () =>
      controls.updateDepartment(
        Number((req.params as { id: string }).id),
        body(req, z.strictObject({ name: z.string().min(1).max(64).optional(), name_en: z.string().max(64).optional(), parentid: z.number().int().min(1).optional(), order: z.number().int().min(0).optional() })),
      ),
    ),
  );
  // ---- 接收事件服务器 (contact-change callbacks) ----
  fastify.put(`${p}/callback`, async (req, reply) => {
    try {
      const cfg = await controls.setCallback(body(req, callbackConfigSchema));
      return await reply.code(200).send({ url: cfg.url, reduced: cfg.reduced });
    } catch (e) {
      return reply.code(400).send({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  fastify.delete(`${p}/callback`, async (_req, reply) => run(reply, () => controls.clearCallback()));
  fastify.get(`${p}/callback/deliveries`, async (_req, reply) => run(reply, () => controls.callbackDeliveries()));

  fastify.delete(`${p}/corp/departments/:id`, async (req, reply) => run(reply, () => controls.deleteDepartment(Number((req.params as { id: string }).id))));
}
