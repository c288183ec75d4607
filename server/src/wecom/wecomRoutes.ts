import type { Deps } from '../deps.js';
import type { RouteDef } from '../http/route.js';
import { callbackRoutes } from './callbacks/callbackRoutes.js';
import { verificationFileRoutes } from './verificationFiles.js';
import { wecomBindingRoutes } from './wecomBindingRoutes.js';
import { wecomLoginRoutes } from './wecomLoginRoutes.js';
import { wecomSettingsRoutes } from './wecomSettingsRoutes.js';
import { webLoginRoutes } from './web/webLoginRoutes.js';

/** Every API route of the WeCom integration. */
export function wecomRoutes(deps: Deps): RouteDef[] {
  return [...wecomSettingsRoutes(deps), ...verificationFileRoutes(deps), ...wecomLoginRoutes(deps), ...wecomBindingRoutes(deps), ...callbackRoutes(deps), ...webLoginRoutes(deps)];
}
