import type { Deps } from '../deps.js';
import type { RouteDef } from '../http/route.js';

export function groupRoutes(_deps: Deps): RouteDef[] {
  return [];
}
