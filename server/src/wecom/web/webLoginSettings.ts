import type { WecomWebLoginView } from '@shulan/shared';
import { z } from 'zod';
import type { Db } from '../../db/createDb.js';
import type { SecretBox } from '../../lib/secretBox.js';
import { readSetting, writeSetting } from '../../settings/settingsStore.js';

/** Row key in `settings`: the 自建应用 behind the H5 entry and the QR login, and just-in-time users. */
const KEY = 'wecom_web';

const StoredSchema = z.object({
  enabled: z.boolean().default(false),
  agentId: z.number().int().nullable().default(null),
  /** The app's Secret, encrypted with SecretBox like the mini program's. */
  secretEnc: z.string().nullable().default(null),
  publicOrigin: z.string().nullable().default(null),
  jitEnabled: z.boolean().default(false),
  jitRole: z.enum(['editor', 'viewer']).default('viewer'),
  jitGroupIds: z.array(z.string()).default([]),
});
export type StoredWebLogin = z.infer<typeof StoredSchema>;

export async function readWebLoginSettings(db: Db): Promise<StoredWebLogin> {
  const parsed = StoredSchema.safeParse((await readSetting(db, KEY)) ?? {});
  return parsed.success ? parsed.data : StoredSchema.parse({});
}

export async function writeWebLoginSettings(db: Db, s: StoredWebLogin): Promise<void> {
  await writeSetting(db, KEY, StoredSchema.parse(s));
}

export function decryptWebSecret(s: StoredWebLogin, box: SecretBox): string | null {
  if (!s.secretEnc) return null;
  try {
    return box.decrypt(s.secretEnc);
  } catch {
    return null; // another SHULAN_SECRET_KEY: the admin enters it again
  }
}

/** host[:port] of the public origin: what WeCom compares the redirect with (可信域名, port included). */
export const trustedDomainOf = (origin: string | null): string | null => (origin ? new URL(origin).host : null);

export const CALLBACK_PATH = '/api/auth/wecom/callback';
export const H5_START_PATH = '/api/auth/wecom/oauth/start';

export function toWebLoginView(s: StoredWebLogin, box: SecretBox): WecomWebLoginView {
  const secret = decryptWebSecret(s, box);
  return {
    enabled: s.enabled,
    agentId: s.agentId,
    secretSet: secret !== null,
    secretHint: secret === null ? null : `••••${secret.slice(-4)}`,
    publicOrigin: s.publicOrigin,
    jitEnabled: s.jitEnabled,
    jitRole: s.jitRole,
    jitGroupIds: s.jitGroupIds,
    trustedDomain: trustedDomainOf(s.publicOrigin),
    homeUrl: s.publicOrigin ? `${s.publicOrigin}${H5_START_PATH}` : null,
  };
}
