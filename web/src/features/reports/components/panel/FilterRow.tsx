import { DeleteOutlined } from '@ant-design/icons';
import type { Filter } from '@shulan/shared';
import { Button, Flex, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'between', 'is_null', 'not_null'] as const;
type FilterOp = (typeof FILTER_OPS)[number];

/** One widget filter: field (fixed, it was dropped on the slot), operator and value(s). */
export function FilterRow({ filter, onChange, onRemove }: { filter: Filter; onChange: (f: Filter) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const build = (field: string, op: FilterOp, raw: unknown): Filter => {
    if (op === 'is_null' || op === 'not_null') return { field, op };
    if (op === 'in' || op === 'not_in') {
      const list = Array.isArray(raw) ? raw.map(String) : raw === '' || raw === undefined ? [] : [String(raw)];
      return { field, op, value: list.length ? list : [''] };
    }
    if (op === 'between') {
      const pair = Array.isArray(raw) ? raw : [raw ?? '', ''];
      return { field, op, value: [String(pair[0] ?? ''), String(pair[1] ?? '')] };
    }
    const single = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw ?? '');
    if (op === 'contains') return { field, op, value: single };
    return { field, op, value: single };
  };
  const value = 'value' in filter ? filter.value : undefined;
  return (
    <Flex vertical gap={4} className="slot-item" data-testid="slot-filter-item">
      <Flex gap={4} align="center">
        <Typography.Text strong ellipsis style={{ flex: 1 }}>{filter.field}</Typography.Text>
        <Select size="small" style={{ width: 110 }} value={filter.op} options={FILTER_OPS.map((op) => ({ value: op, label: t(`ops.${op}`) }))}
          onChange={(op: FilterOp) => onChange(build(filter.field, op, value))} aria-label={t('widget.filterOp')} />
        <Button size="small" type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} />
      </Flex>
      {filter.op === 'is_null' || filter.op === 'not_null' ? null : filter.op === 'in' || filter.op === 'not_in' ? (
        <Select size="small" mode="tags" value={(value as unknown[]).filter((v) => v !== '').map(String)} open={false}
          placeholder={t('widget.valuesHint')} onChange={(v: string[]) => onChange(build(filter.field, filter.op, v))} />
      ) : filter.op === 'between' ? (
        <Flex gap={4}>
          <Input size="small" value={String((value as unknown[])[0] ?? '')} onChange={(e) => onChange(build(filter.field, 'between', [e.target.value, (value as unknown[])[1]]))} />
          <Input size="small" value={String((value as unknown[])[1] ?? '')} onChange={(e) => onChange(build(filter.field, 'between', [(value as unknown[])[0], e.target.value]))} />
        </Flex>
      ) : (
        <Input size="small" value={String(value ?? '')} maxLength={1000} onChange={(e) => onChange(build(filter.field, filter.op, e.target.value))} data-testid="slot-filter-value" />
      )}
    </Flex>
  );
}
