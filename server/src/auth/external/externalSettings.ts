import { GroupMappingSchema, type LdapSettingsView, type OidcSettingsView } from '@shulan/shared';
import { z } from 'zod';
import type { Db } from '../../db/createDb.js';
import type { SecretBox } from '../../lib/secretBox.js';
import { readSetting, writeSetting } from '../../settings/settingsStore.js';

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

const StoredOidc = GroupMappingSchema.extend({
  enabled: z.boolean().default(false),
  issuer: z.string().nullable().default(null),
  clientId: z.string().nullable().default(null),
  /** Encrypted with SecretBox, like the WeCom Secret. */
  clientSecretEnc: z.string().nullable().default(null),
  displayName: z.string().default('单点登录'),
  scopes: z.string().default('openid profile email'),
  usernameClaim: z.string().default('preferred_username'),
  groupsClaim: z.string().default('groups'),
});
export type StoredOidc = z.infer<typeof StoredOidc>;

const StoredLdap = GroupMappingSchema.extend({
  enabled: z.boolean().default(false),
  url: z.string().nullable().default(null),
  bindDn: z.string().nullable().default(null),
  bindPasswordEnc: z.string().nullable().default(null),
  baseDn: z.string().nullable().default(null),
  userFilter: z.string().default('(uid={username})'),
  nameAttribute: z.string().default('cn'),
  groupBaseDn: z.string().nullable().default(null),
});
export type StoredLdap = z.infer<typeof StoredLdap>;

async function read<T extends z.ZodType>(db: Db, key: string, schema: T): Promise<z.output<T>> {
  const parsed = schema.safeParse((await readSetting(db, key)) ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

export const readOidcSettings = (db: Db) => read(db, 'oidc', StoredOidc);
export const readLdapSettings = (db: Db) => read(db, 'ldap', StoredLdap);
export const writeOidcSettings = (db: Db, s: StoredOidc) => writeSetting(db, 'oidc', StoredOidc.parse(s));
export const writeLdapSettings = (db: Db, s: StoredLdap) => writeSetting(db, 'ldap', StoredLdap.parse(s));

export function decryptOrNull(enc: string | null, box: SecretBox): string | null {
  if (!enc) return null;
  try {
    return box.decrypt(enc);
  } catch {
    return null; // encrypted under another SHULAN_SECRET_KEY: entered again by the admin
  }
}

export function oidcView(s: StoredOidc, box: SecretBox): OidcSettingsView {
  const { clientSecretEnc, ...rest } = s;
  return { ...rest, clientSecretSet: decryptOrNull(clientSecretEnc, box) !== null, redirectPath: OIDC_CALLBACK_PATH };
}

export function ldapView(s: StoredLdap, box: SecretBox): LdapSettingsView {
  const { bindPasswordEnc, ...rest } = s;
  return { ...rest, bindPasswordSet: decryptOrNull(bindPasswordEnc, box) !== null };
}

export const oidcReady = (s: StoredOidc): boolean => s.enabled && !!s.issuer && !!s.clientId;
export const ldapReady = (s: StoredLdap): boolean => s.enabled && !!s.url && !!s.baseDn;
