import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WecomError } from '../errors.js';
import type { SimState } from '../simulator.js';
import { wecomRoute, withApp } from './wecomRoute.js';

/** Length in characters (the doc's limits are in 汉字). */
const chars = (min: number, max: number) => z.string().refine((s) => [...s].length >= min && [...s].length <= max, `${min}~${max} characters`);

// Limits of reference §7.
const noticeSchema = z.object({
  appid: z.string().min(1),
  page: z.string().refine((s) => Buffer.byteLength(s) <= 1024, 'page ≤ 1024 bytes').optional(),
  title: chars(4, 12),
  description: chars(4, 12).optional(),
  emphasis_first_item: z.boolean().optional(),
  content_item: z.array(z.object({ key: chars(0, 10), value: chars(0, 30) })).max(10).optional(),
});

const sendSchema = z.object({
  touser: z.string().max(64 * 1001).optional(),
  toparty: z.string().max(11 * 101).optional(),
  totag: z.string().max(11 * 101).optional(),
  msgtype: z.string().min(1),
  agentid: z.number().int().optional(),
  miniprogram_notice: z.unknown().optional(),
  enable_id_trans: z.union([z.literal(0), z.literal(1)]).optional(),
  enable_duplicate_check: z.union([z.literal(0), z.literal(1)]).optional(),
  duplicate_check_interval: z.number().int().min(0).max(4 * 3600).optional(),
});

const split = (s: string | undefined) => (s ? s.split('|').filter((x) => x !== '') : []);

/** message/send with miniprogram_notice (the only type a mini program app may send). */
export function registerMessageRoutes(fastify: FastifyInstance, state: SimState): void {
  wecomRoute(
    fastify,
    state,
    { method: 'POST', endpoint: 'message/send' },
    withApp(({ corp, app, body }) => {
      // The contact-sync secret cannot send messages; a mini program sends only miniprogram_notice.
      if (app.kind === 'contact_sync') {
        throw new WecomError(48002);
      }
      const req = sendSchema.safeParse(body);
      if (!req.success) {
        throw new WecomError(40035, `invalid parameter: ${req.error.issues[0]?.path.join('.') ?? ''}`);
      }
      const msg = req.data;
      if (msg.msgtype !== 'miniprogram_notice') {
        throw new WecomError(app.kind === 'miniprogram' ? 48002 : 40008);
      }
      if (app.kind !== 'miniprogram') {
        throw new WecomError(48002);
      }
      const notice = noticeSchema.safeParse(msg.miniprogram_notice);
      if (!notice.success) {
        const issue = notice.error.issues[0];
        throw new WecomError(40035, `invalid parameter: miniprogram_notice.${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
      }
      if (notice.data.appid !== app.appid) {
        throw new WecomError(40063);
      }
      const users = split(msg.touser);
      const parties = split(msg.toparty);
      const tags = split(msg.totag);
      if (users.length === 0 && parties.length === 0 && tags.length === 0) {
        throw new WecomError(82001);
      }
      if (users.length > 1000 || parties.length > 100 || tags.length > 100) {
        throw new WecomError(40035, 'invalid parameter: too many recipients');
      }
      const visible = corp.visibleDepartmentIds(app);
      const reachable = (userid: string) => {
        const m = corp.getMember(userid);
        return m && m.status !== 2 && m.status !== 5 && corp.canSeeMember(app, m, visible) ? m : undefined;
      };
      const delivered = new Set<string>();
      const invalidUsers: string[] = [];
      if (users.length === 1 && users[0] === '@all') {
        for (const m of corp.members.values()) {
          if (reachable(m.userid)) {
            delivered.add(m.userid);
          }
        }
      } else {
        for (const u of users) {
          const m = reachable(u);
          if (m) {
            delivered.add(m.userid);
          } else {
            invalidUsers.push(u);
          }
        }
      }
      const invalidParties: string[] = [];
      for (const p of parties) {
        const id = /^\d{1,10}$/.test(p) ? Number(p) : NaN;
        if (!visible.has(id)) {
          invalidParties.push(p);
          continue;
        }
        for (const m of corp.membersIn(id)) {
          if (reachable(m.userid)) {
            delivered.add(m.userid);
          }
        }
      }
      // The simulated corp has no tags: every tag is invalid.
      const invalidTags = tags;
      if (delivered.size === 0 && invalidUsers.length + invalidParties.length + invalidTags.length > 0) {
        throw new WecomError(81013);
      }
      const msgid = randomBytes(24).toString('base64url');
      state.messages.push({ msgid, appKey: app.key, at: state.now(), request: body, delivered: [...delivered] });
      return { invaliduser: invalidUsers.join('|'), invalidparty: invalidParties.join('|'), invalidtag: invalidTags.join('|'), unlicenseduser: '', msgid };
    }),
  );
}
