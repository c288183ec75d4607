import { WECOM_CALLBACK_PATH, type WecomSettingsView } from '@shulan/shared';
import { z } from 'zod';
import type { Db } from '../db/createDb.js';
import type { SecretBox } from '../lib/secretBox.js';
import { writeSetting } from '../settings/settingsStore.js';

/** Row key in `settings`. */
const KEY = 'wecom';

/** What is stored (value_json): the Secret only encrypted with SecretBox. */
const StoredSchema = z.object({
  enabled: z.boolean().default(false),
  corpId: z.string().nullable().default(null),
  appId: z.string().nullable().default(null),
  secretEnc: z.string().nullable().default(null),
  /** Binding an admin account at first login in the mini program: refused unless switched on. */
  allowAdminBinding: z.boolean().default(false),
  /** Optional 通讯录同步 Secret (encrypted like the app Secret): lets the sync list every member id. */
  syncSecretEnc: z.string().nullable().default(null),
  /** Callback (接收事件服务器) Token and EncodingAESKey, encrypted like the Secret. */
  callbackTokenEnc: z.string().nullable().default(null),
  callbackAesKeyEnc: z.string().nullable().default(null),
});
export type StoredWecomSettings = z.infer<typeof StoredSchema>;

const EMPTY: StoredWecomSettings = StoredSchema.parse({});

/** The saved WeCom settings (all empty when never saved). */
export async function readWecomSettings(db: Db): Promise<StoredWecomSettings> {
  return parseWecomSettings(await readWecomSettingsRow(db));
}

/** The stored text of the settings row, undefined when never saved (its text is its version). */
export async function readWecomSettingsRow(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
  return row?.value_json;
}

export function parseWecomSettings(raw: string | null | undefined): StoredWecomSettings {
  if (!raw) return EMPTY;
  const parsed = StoredSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : EMPTY;
}

export async function writeWecomSettings(db: Db, s: z.input<typeof StoredSchema>): Promise<void> {
  await writeSetting(db, KEY, StoredSchema.parse(s));
}

/** The stored Secret in clear, for calling WeCom only; null when none or undecryptable. */
export function decryptSecret(s: StoredWecomSettings, box: SecretBox): string | null {
  return decryptOrNull(s.secretEnc, box);
}

/** The stored contact-sync Secret in clear, for calling WeCom only; null when none or undecryptable. */
export function decryptSyncSecret(s: StoredWecomSettings, box: SecretBox): string | null {
  return decryptOrNull(s.syncSecretEnc, box);
}

function decryptOrNull(enc: string | null, box: SecretBox): string | null {
  if (!enc) return null;
  try {
    return box.decrypt(enc);
  } catch {
    // Encrypted with another SHULAN_SECRET_KEY: treat as unset so the admin re-enters it.
    return null;
  }
}

const hint = (secret: string | null) => (secret === null ? null : `••••${secret.slice(-4)}`);

/** The callback Token and EncodingAESKey in clear (server side only), or null unless both are stored. */
export function decryptCallbackKeys(s: StoredWecomSettings, box: SecretBox): { token: string; encodingAesKey: string } | null {
  const token = decryptOrNull(s.callbackTokenEnc, box);
  const encodingAesKey = decryptOrNull(s.callbackAesKeyEnc, box);
  return token && encodingAesKey ? { token, encodingAesKey } : null;
}

/** What the admin API shows: never the Secret, only whether one is set and its last 4 characters. */
export function toSettingsView(s: StoredWecomSettings, box: SecretBox): WecomSettingsView {
  const secret = decryptSecret(s, box);
  const syncSecret = decryptSyncSecret(s, box);
  return {
    enabled: s.enabled,
    corpId: s.corpId,
    appId: s.appId,
    secretSet: secret !== null,
    secretHint: hint(secret),
    allowAdminBinding: s.allowAdminBinding,
    syncSecretSet: syncSecret !== null,
    syncSecretHint: hint(syncSecret),
    callbackTokenSet: decryptOrNull(s.callbackTokenEnc, box) !== null,
    callbackAesKeySet: decryptOrNull(s.callbackAesKeyEnc, box) !== null,
    callbackPath: WECOM_CALLBACK_PATH,
  };
}

/** Integration switched on with every value present: the mini program may log in through WeCom. */
export function isLoginReady(s: StoredWecomSettings): boolean {
  return s.enabled && !!s.corpId && !!s.appId && !!s.secretEnc;
}
