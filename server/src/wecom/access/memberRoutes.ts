import { WecomMemberSearchQuerySchema, type WecomMemberPage } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import { route, type RouteDef } from '../../http/route.js';
import { searchMembers } from './memberSearch.js';

/** Admin: the synced WeCom directory, searched for matching a user by hand. */
export function memberRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/api/wecom/members',
      access: 'admin',
      tag: 'wecom',
      summary: 'Search the synced WeCom directory by name, userid, department or mobile (where readable); paged',
      query: WecomMemberSearchQuerySchema,
      handler: async ({ query }): Promise<WecomMemberPage> => searchMembers(deps.db, query),
    }),
  ];
}
