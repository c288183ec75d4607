/**
 * A mobile number in the form WeCom stores for mainland China (bare 11 digits): spaces, dashes
 * and brackets removed, a +86 / 0086 / 86 country prefix dropped. Other numbers keep a leading
 * "+". Null when nothing usable is left.
 */
export function normalizeMobile(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{5,32}$/.test(s)) return null;
  const cn = /^(?:\+86|0086|86)(1\d{10})$/.exec(s);
  if (cn) return cn[1]!;
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  return s;
}
