import fs from 'node:fs';
import type { SiteInfo } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { isLoginReady } from '../wecom/wecomSettings.js';
import { readMobileSettings } from './mobileSettings.js';

const SITE_NAME = '数览 Shulan';
const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Whether "log in with WeCom" is offered: the integration is switched on with every value saved. */
async function wecomLoginEnabled(deps: Deps): Promise<boolean> {
  return isLoginReady(await deps.wecom.settings());
}

export function siteRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/api/site',
      access: 'public',
      tag: 'meta',
      summary: 'Site name, version and login options (bootstrap for the web app and mini program)',
      async handler(): Promise<SiteInfo> {
        const mobile = await readMobileSettings(deps.db);
        return { name: SITE_NAME, version: VERSION, wecomLogin: await wecomLoginEnabled(deps), watermark: mobile.watermark, orgName: mobile.orgName };
      },
    }),
  ];
}
