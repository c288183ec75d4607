import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Attributes } from '@shulan/shared';
import { Button, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export interface AttrRow {
  name: string;
  values: string[];
}

export const toRows = (a: Attributes): AttrRow[] => Object.entries(a).map(([name, values]) => ({ name, values: values ?? [] }));
export const fromRows = (rows: AttrRow[]): Attributes => Object.fromEntries(rows.filter((r) => r.name.trim() && r.values.length).map((r) => [r.name.trim(), r.values]));

/** Name → values pairs an admin sets on a user, group or department (row rules read them). */
export function AttributesEditor({ rows, onChange }: { rows: AttrRow[]; onChange: (rows: AttrRow[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<AttrRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rows.map((r, i) => (
        <Space key={i} style={{ width: '100%' }} align="start">
          <Input style={{ width: 160 }} value={r.name} placeholder={t('permissions.attrName')} onChange={(e) => set(i, { name: e.target.value })} data-testid="attr-name" />
          <Select
            mode="tags"
            style={{ minWidth: 260 }}
            value={r.values}
            placeholder={t('permissions.attrValues')}
            onChange={(v: string[]) => set(i, { values: v })}
            open={false}
            data-testid="attr-values"
          />
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
        </Space>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => onChange([...rows, { name: '', values: [] }])} data-testid="attr-add">
        {t('permissions.addAttr')}
      </Button>
    </Space>
  );
}

/** Attributes shown read-only, one tag line per name. */
export function AttributesList({ attrs }: { attrs: Record<string, string[]> }) {
  const { t } = useTranslation();
  const entries = Object.entries(attrs);
  if (!entries.length) return <span style={{ color: '#999' }}>{t('permissions.none')}</span>;
  return (
    <div>
      {entries.map(([k, v]) => (
        <div key={k} data-testid={`attr-${k}`}>
          <b>{k}</b>: {v.join('、')}
        </div>
      ))}
    </div>
  );
}
