import type { AuditEntry } from '@shulan/shared';

/** The translate function of i18next, reduced to what this file needs (so tests can pass a plain instance). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** i18next reads dots in a key as nesting, which is exactly how the action labels are stored. */
export const actionLabel = (t: Translate, action: string): string => t(`audit.actions.${action}`, { defaultValue: action });

export const keyLabel = (t: Translate, key: string): string => t(`audit.keys.${key}`, { defaultValue: key });

export function actorText(t: Translate, actor: AuditEntry['actor']): string {
  if (!actor) return t('audit.system');
  if (!actor.username) return `${t('audit.kinds.user')}${t('audit.values.deletedObject')}`;
  return actor.displayName && actor.displayName !== actor.username ? `${actor.displayName} (${actor.username})` : actor.username;
}

/** "报表「月度销售」": the kind in words and the name; an object gone without a name says so. */
export function targetText(t: Translate, entry: AuditEntry): string | null {
  if (!entry.targetKind) return null;
  const kind = t(`audit.kinds.${entry.targetKind}`);
  if (entry.targetKind === 'wecom_settings') return kind;
  if (entry.targetName) return `${kind}「${entry.targetName}」`;
  return `${kind}${t('audit.values.deletedObject')}`;
}

function valueText(t: Translate, key: string, value: unknown, names: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'audit.values.yes' : 'audit.values.no');
  if (typeof value === 'number') return key === 'size' ? bytes(value) : value.toLocaleString();
  if (Array.isArray(value)) {
    if (value.length === 0) return t('audit.values.none');
    const item = key === 'fields' ? (v: unknown) => keyLabel(t, String(v)) : (v: unknown) => valueText(t, '', v, names);
    return value.map(item).join('、');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${keyLabel(t, k)}: ${valueText(t, k, v, names)}`)
      .join('；');
  }
  const text = String(value);
  if (key === 'wecomUserid') return names[text] ? `${names[text]} (${text})` : text;
  if (names[text]) return names[text];
  if (UUID.test(text)) return t('audit.values.deletedObject');
  switch (key) {
    case 'role':
      return t(`roles.${text}`, { defaultValue: text });
    case 'source':
    case 'previousSource':
      return t(`personnel.sources.${text}`, { defaultValue: text });
    case 'kind':
      return t(`audit.values.kinds.${text}`, { defaultValue: text });
    case 'via':
    case 'by':
      return t(`audit.values.via.${text}`, { defaultValue: text });
    case 'reason':
    case 'scope':
    case 'client':
      return t(`audit.values.${key}.${text}`, { defaultValue: text });
    default:
      return text;
  }
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The detail of an entry as "label: value" lines in the UI language, ids replaced by names. */
export function detailLines(t: Translate, entry: AuditEntry, names: Record<string, string>): { label: string; value: string }[] {
  const detail = entry.detail ?? {};
  const lines: { label: string; value: string }[] = [];
  // from/to of a role change are roles; of a rename, names.
  const changeKey = entry.action === 'user.role_change' ? 'role' : 'name';
  const isChange = 'from' in detail && 'to' in detail;
  if (isChange) {
    lines.push({ label: keyLabel(t, 'change'), value: `${valueText(t, changeKey, detail.from, names)} → ${valueText(t, changeKey, detail.to, names)}` });
  }
  for (const [key, value] of Object.entries(detail)) {
    if (isChange && (key === 'from' || key === 'to')) continue;
    // The object's own name is already in the "target" column.
    if ((key === 'name' || key === 'username') && typeof value === 'string' && entry.targetName?.includes(value)) continue;
    lines.push({ label: keyLabel(t, key), value: valueText(t, key, value, names) });
  }
  return lines;
}
