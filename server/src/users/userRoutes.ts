import type { Deps } from '../deps.js';
import type { RouteDef } from '../http/route.js';

export function userRoutes(_deps: Deps): RouteDef[] {
  return [];
}
