import { WecomBindingParamsSchema, WecomManualBindingBodySchema, type WecomBindingView } from '@shulan/shared';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { isReviewerAccount, reviewerCannotBind } from '../reviewer/reviewerStore.js';
import { findUserById } from '../users/userRepo.js';
import { memberStatus, refusalForAdmin } from './access/memberCheck.js';
import { deleteBinding, findBindingByUser, insertBinding, toBindingView } from './bindingRepo.js';

/** Admin: match one Shulan user with a WeCom member by hand, or remove a match. */
export function wecomBindingRoutes(deps: Deps): RouteDef[] {
  const { db, sessions } = deps;
  return [
    route({
      method: 'PUT',
      url: '/api/wecom/bindings/:userId',
      access: 'admin',
      tag: 'wecom',
      summary: 'Match a user with a WeCom member by hand (409 if either is matched elsewhere)',
      params: WecomBindingParamsSchema,
      body: WecomManualBindingBodySchema,
      async handler({ params, body, user }): Promise<WecomBindingView> {
        const target = await findUserById(db, params.userId);
        if (!target) throw new NotFoundError(msg('用户', 'User'));
        if (await isReviewerAccount(db, target.id)) throw reviewerCannotBind();
        // The member must exist and be active: in the synced directory, or else WeCom user/get.
        const status = await memberStatus(db, async () => (await deps.wecom.active()).client, body.wecomUserid);
        const refusal = refusalForAdmin(status, body.wecomUserid);
        if (refusal) throw new ValidationError(refusal);
        const binding = await db.transaction().execute(async (trx) => {
          const res = await insertBinding(trx, { userId: target.id, wecomUserid: body.wecomUserid, source: 'manual', matchedBy: user!.id });
          if (res.created) {
            await audit(trx, user!.id, 'wecom.match', target.id, { wecomUserid: body.wecomUserid, username: target.username, source: 'manual' });
          }
          return res.binding;
        });
        return toBindingView(binding);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/wecom/bindings/:userId',
      access: 'admin',
      tag: 'wecom',
      summary: "Remove a user's WeCom match; that user's WeCom sessions end at once",
      params: WecomBindingParamsSchema,
      async handler({ params, user }) {
        const target = await findUserById(db, params.userId);
        if (!target) throw new NotFoundError(msg('用户', 'User'));
        const binding = await findBindingByUser(db, target.id);
        if (!binding) throw new NotFoundError(msg('该用户的企业微信匹配', "This user's WeCom match"));
        await db.transaction().execute(async (trx) => {
          await deleteBinding(trx, target.id);
          await audit(trx, user!.id, 'wecom.unmatch', target.id, {
            wecomUserid: binding.wecom_userid,
            username: target.username,
            previousSource: binding.source,
          });
        });
        // Passwordless access came from the match, so it ends with it; password sessions stay.
        const sessionsEnded = await sessions.closeAllForUser(target.id, 'wecom');
        return { ok: true, sessionsEnded };
      },
    }),
  ];
}
