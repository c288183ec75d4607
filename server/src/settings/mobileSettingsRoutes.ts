import type { SessionUser } from '@shulan/shared';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { findBindingByUser } from '../wecom/bindingRepo.js';
import { readWecomSettings } from '../wecom/wecomSettings.js';
import { MobileSettingsSchema, readMobileSettings, writeMobileSettings, type MobileSettings } from './mobileSettings.js';

const PackageQuerySchema = z.strictObject({
  domain: z.string().trim().max(253).optional(),
});

/** The mini program's "me" page: who I am and which WeCom member I am matched with. */
export interface MobileMe {
  user: SessionUser;
  wecomUserid: string | null;
}

export function mobileSettingsRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/api/settings/mobile',
      access: 'admin',
      tag: 'settings',
      summary: 'Mini program settings (watermark on report pages, the company name on its first page)',
      handler: (): Promise<MobileSettings> => readMobileSettings(deps.db),
    }),
    route({
      method: 'PUT',
      url: '/api/settings/mobile',
      access: 'admin',
      tag: 'settings',
      summary: 'Change the mini program settings',
      body: MobileSettingsSchema,
      async handler({ body }): Promise<MobileSettings> {
        await writeMobileSettings(deps.db, body);
        return body;
      },
    }),
    route({
      method: 'GET',
      url: '/api/mobile/me',
      access: 'user',
      tag: 'settings',
      summary: 'The logged-in user and the WeCom member matched with them (mini program "me" page)',
      async handler({ user }): Promise<MobileMe> {
        const u = user as SessionUser;
        const binding = await findBindingByUser(deps.db, u.id);
        return { user: u, wecomUserid: binding?.wecom_userid ?? null };
      },
    }),
    route({
      method: 'GET',
      url: '/api/settings/miniprogram/package',
      access: 'admin',
      tag: 'settings',
      summary: 'Download the mini program code package (zip) with the AppID of the WeCom settings and this server\'s https address baked in',
      query: PackageQuerySchema,
      async handler({ query, req, reply }) {
        const { appId } = await readWecomSettings(deps.db);
        if (!appId) {
          throw new ValidationError(msg('请先在企业微信集成设置中填写小程序 AppID', 'Fill in the mini program AppID in the WeCom settings first'));
        }
        // Loaded on demand: esbuild is only needed when someone downloads the package.
        const { buildMiniprogramZip } = await import('./mobileSettingsPackage.js');
        // Always baked: the address asked for, else the one the admin reached us by (behind a trusted
        // proxy, X-Forwarded-Host). A package that knows its server skips the domain page.
        const domain = query.domain || `https://${req.host}`;
        const zip = await buildMiniprogramZip({ appid: appId, domain });
        void reply
          .header('content-type', 'application/zip')
          .header('content-disposition', 'attachment; filename="shulan-miniprogram.zip"')
          .send(zip);
      },
    }),
  ];
}
