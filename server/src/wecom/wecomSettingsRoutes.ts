import { WecomSettingsBodySchema, WecomTestBodySchema, type WecomSettingsView, type WecomTestResult } from '@shulan/shared';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { testWecomConnection } from './testWecomConnection.js';
import { readWecomSettings, toSettingsView, writeWecomSettings } from './wecomSettings.js';

/** 系统设置 → 企业微信集成设置. The Secret is write-only: encrypted at rest, never returned or logged. */
export function wecomSettingsRoutes(deps: Deps): RouteDef[] {
  const { db, secretBox } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/settings/wecom',
      access: 'admin',
      tag: 'wecom',
      summary: 'WeCom integration settings (the Secret only as set/not set and its last 4 characters)',
      handler: async (): Promise<WecomSettingsView> => toSettingsView(await readWecomSettings(db), secretBox),
    }),
    route({
      method: 'PUT',
      url: '/api/settings/wecom',
      access: 'admin',
      tag: 'wecom',
      summary: 'Save the WeCom integration settings; omit a Secret (or allowAdminBinding) to keep the stored one, syncSecret null removes it',
      body: WecomSettingsBodySchema,
      async handler({ body, user }): Promise<WecomSettingsView> {
        const current = await readWecomSettings(db);
        const secretEnc = body.secret === undefined ? current.secretEnc : secretBox.encrypt(body.secret);
        if (body.enabled && (!body.corpId || !body.appId || !secretEnc)) {
          throw new ValidationError(
            msg('开启企业微信集成需要填写企业ID、Secret 和 AppID', 'Turning the WeCom integration on needs the Corp ID, the Secret and the AppID'),
          );
        }
        const allowAdminBinding = body.allowAdminBinding ?? current.allowAdminBinding;
        const syncSecretEnc = body.syncSecret === undefined ? current.syncSecretEnc : body.syncSecret === null ? null : secretBox.encrypt(body.syncSecret);
        // Write-only like the Secret: undefined keeps, null removes, a value replaces.
        const seal = (v: string | null | undefined, kept: string | null) => (v === undefined ? kept : v === null ? null : secretBox.encrypt(v));
        const callbackTokenEnc = seal(body.callbackToken, current.callbackTokenEnc);
        const callbackAesKeyEnc = seal(body.callbackAesKey, current.callbackAesKeyEnc);
        const next = { enabled: body.enabled, corpId: body.corpId, appId: body.appId, secretEnc, allowAdminBinding, syncSecretEnc, callbackTokenEnc, callbackAesKeyEnc };
        await writeWecomSettings(db, next);
        // The next login, sync or card uses the new settings at once (other instances within a second).
        deps.wecom.invalidate();
        // Passwordless access came from this integration: switched off, or moved to another corp,
        // it ends for everyone at once (open sockets close too); password sessions stay.
        const wecomSessionsEnded = current.enabled && (!next.enabled || next.corpId !== current.corpId) ? await deps.sessions.endAllWecomSessions() : 0;
        // The audit line says THAT the Secret changed, never what it is.
        await audit(db, user!.id, 'wecom.settings_changed', 'wecom', {
          enabled: next.enabled,
          corpId: next.corpId,
          appId: next.appId,
          secretChanged: body.secret !== undefined,
          allowAdminBinding,
          syncSecretChanged: body.syncSecret !== undefined,
          wecomSessionsEnded,
          callbackTokenChanged: body.callbackToken !== undefined,
          callbackAesKeyChanged: body.callbackAesKey !== undefined,
        });
        return toSettingsView(next, secretBox);
      },
    }),
    route({
      method: 'POST',
      url: '/api/settings/wecom/test',
      access: 'admin',
      tag: 'wecom',
      summary: 'Test connection: checks each prerequisite (token, trusted IP, Secret, visible range, mobiles) with its fix',
      body: WecomTestBodySchema,
      async handler({ body, lang }): Promise<WecomTestResult> {
        // Values typed in the form win; omitted ones come from the saved settings.
        const { wecom } = deps;
        const saved = await wecom.settings();
        const corpId = body.corpId ?? saved.corpId;
        const secret = body.secret ?? wecom.storedSecret(saved);
        const syncSecret = body.syncSecret ?? wecom.storedSyncSecret(saved);
        const client = corpId && secret ? wecom.client({ corpId, secret }) : null;
        const syncClient = corpId && syncSecret ? wecom.client({ corpId, secret: syncSecret }) : null;
        return testWecomConnection(client, lang, { breaker: wecom.breaker, corpId }, syncClient);
      },
    }),
  ];
}
