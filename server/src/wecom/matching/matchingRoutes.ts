import { WecomMatchConfirmBodySchema, WecomMatchPreviewBodySchema, type WecomMatchConfirmResult, type WecomMatchPreview } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import { route, type RouteDef } from '../../http/route.js';
import { confirmMatching } from './confirm.js';
import { previewMatching } from './preview.js';

/** Admin: bulk matching of Shulan users with WeCom members (设置企业微信匹配), dry run then confirm. */
export function matchingRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'POST',
      url: '/api/wecom/matching/preview',
      access: 'admin',
      tag: 'wecom',
      summary: "Dry run of bulk matching by mobile or name: counts of sure, ambiguous, conflicts, no match, and one page of one category",
      body: WecomMatchPreviewBodySchema,
      async handler({ body, lang }): Promise<WecomMatchPreview> {
        return previewMatching(deps, body, lang);
      },
    }),
    route({
      method: 'POST',
      url: '/api/wecom/matching/confirm',
      access: 'admin',
      tag: 'wecom',
      summary: 'Bind the confirmed pairs, re-checking each; reports per pair',
      body: WecomMatchConfirmBodySchema,
      async handler({ body, user, lang }): Promise<WecomMatchConfirmResult> {
        return confirmMatching(deps, body, user!.id, lang);
      },
    }),
  ];
}
