import { normalizeMobile } from './mobile.js';

/** Names compare after trimming and collapsing inner spaces ("张 三" stays distinct from "张三"). */
export const nameKey = (s: string | null | undefined): string | null => {
  const k = (s ?? '').trim().replace(/\s+/g, ' ');
  return k === '' ? null : k;
};

/**
 * The stored copies of nameKey / normalizeMobile that the matching preview groups and joins on
 * in SQL (neither normalisation can be written in SQL alike for SQLite and PostgreSQL, JS's \s
 * covers Unicode spaces). Every write of a user's display_name or mobile, or of a member's
 * name or mobile, sets them through these two functions.
 */
export function userMatchKeys(u: { display_name: string; mobile: string | null }): { match_name_key: string | null; match_mobile_key: string | null } {
  return { match_name_key: nameKey(u.display_name), match_mobile_key: normalizeMobile(u.mobile) };
}

export function memberMatchKeys(m: { name: string; mobile: string | null }): { match_name_key: string | null; match_mobile_key: string | null } {
  return { match_name_key: nameKey(m.name), match_mobile_key: normalizeMobile(m.mobile) };
}
