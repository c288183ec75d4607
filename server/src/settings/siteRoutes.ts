import type { Deps } from '../deps.js';
import type { RouteDef } from '../http/route.js';

export function siteRoutes(_deps: Deps): RouteDef[] {
  return [];
}
