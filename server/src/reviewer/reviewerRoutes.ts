import { ReviewerCreateBodySchema, ReviewerParamsSchema, type ReviewerCredentials, type ReviewerRemoved, type ReviewerStatus } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { createReviewer, removeReviewer, resetReviewerPassword, reviewerStatus } from './reviewerService.js';

/** 企业微信集成设置 → 微信审核测试账号: the same service as `shulan reviewer …`. */
export function reviewerRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/api/settings/reviewer',
      access: 'admin',
      tag: 'wecom',
      summary: 'The reviewer account for WeChat review, if one exists (never its password)',
      handler: async (): Promise<ReviewerStatus> => reviewerStatus(deps),
    }),
    route({
      method: 'POST',
      url: '/api/settings/reviewer',
      access: 'admin',
      tag: 'wecom',
      summary: 'Create the reviewer account with its one report; the password is in this answer only. 409 when one exists',
      body: ReviewerCreateBodySchema,
      handler: async ({ user }): Promise<ReviewerCredentials> => createReviewer(deps, { actorId: user!.id, via: 'admin' }),
    }),
    route({
      method: 'POST',
      url: '/api/settings/reviewer/:username/reset-password',
      access: 'admin',
      tag: 'wecom',
      summary: 'Give the reviewer account a new password (shown once) and end its sessions',
      params: ReviewerParamsSchema,
      handler: async ({ user, params }): Promise<ReviewerCredentials> => resetReviewerPassword(deps, { actorId: user!.id, via: 'admin' }, params.username),
    }),
    route({
      method: 'DELETE',
      url: '/api/settings/reviewer/:username',
      access: 'admin',
      tag: 'wecom',
      summary: 'After release: delete the reviewer account, its sessions, its report and its dataset',
      params: ReviewerParamsSchema,
      handler: async ({ user, params }): Promise<ReviewerRemoved> => removeReviewer(deps, { actorId: user!.id, via: 'admin' }, params.username),
    }),
  ];
}
