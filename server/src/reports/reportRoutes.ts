import type { Deps } from '../deps.js';
import type { RouteDef } from '../http/route.js';

export function reportRoutes(_deps: Deps): RouteDef[] {
  return [];
}
