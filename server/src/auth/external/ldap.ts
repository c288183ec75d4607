import { Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';

import { decryptOrNull, type StoredLdap } from './externalSettings.js';
import type { SecretBox } from '../../lib/secretBox.js';

/** RFC 4515: a typed name can never change the filter's meaning. */
export function escapeFilterValue(v: string): string {
  return EqualityFilter.escape(v);
}

export type LdapOutcome = { ok: true; username: string; displayName: string; groups: string[] } | { ok: false; reason: 'wrong_password' | 'unknown_user' };

/**
 * Search with the service account, then bind as the user with the typed password; the groups are the
 * `cn` of the groupOfNames entries under groupBaseDn holding the user's DN. Throws on a server problem.
 */
export async function ldapAuthenticate(s: StoredLdap, box: SecretBox, username: string, password: string): Promise<LdapOutcome> {
  // An empty password is an "unauthenticated bind" that many servers accept: never a login.
  if (!password) return { ok: false, reason: 'wrong_password' };
  const url = s.url!;
  const client = new Client({ url, timeout: 10_000, connectTimeout: 5_000 });
  try {
    const bindPassword = decryptOrNull(s.bindPasswordEnc, box);
    if (s.bindDn) await client.bind(s.bindDn, bindPassword ?? '');
    const filter = s.userFilter.split('{username}').join(escapeFilterValue(username));
    const { searchEntries } = await client.search(s.baseDn!, { scope: 'sub', filter, attributes: ['dn', s.nameAttribute], sizeLimit: 2 });
    // None, or several (an ambiguous filter): nobody to log in as.
    if (searchEntries.length !== 1) return { ok: false, reason: 'unknown_user' };
    const entry = searchEntries[0]!;
    const userClient = new Client({ url, timeout: 10_000, connectTimeout: 5_000 });
    try {
      await userClient.bind(entry.dn, password);
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return { ok: false, reason: 'wrong_password' };
      throw e;
    } finally {
      await userClient.unbind().catch(() => {});
    }
    let groups: string[] = [];
    if (s.groupBaseDn) {
      const res = await client.search(s.groupBaseDn, { scope: 'sub', filter: `(&(objectClass=groupOfNames)(member=${escapeFilterValue(entry.dn)}))`, attributes: ['cn'] });
      groups = res.searchEntries.flatMap((g) => (Array.isArray(g.cn) ? g.cn : [g.cn])).map(String);
    }
    const name = entry[s.nameAttribute];
    const displayName = (Array.isArray(name) ? name[0] : name)?.toString() || username;
    return { ok: true, username, displayName, groups };
  } finally {
    await client.unbind().catch(() => {});
  }
}
