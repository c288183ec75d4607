import { dimensionKey, measureKey, type Field, type WidgetKind } from '@shulan/shared';
import { Flex, Form, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Query } from '../../reportDraft';

type SortItem = NonNullable<Query['sort']>[number];

/** Table mode (detail / aggregate), sort and row limit of a data widget. */
export function QuerySettings({ kind, fields, query, onChange }: { kind: WidgetKind; fields: Field[]; query: Query; onChange: (q: Query) => void }) {
  const { t } = useTranslation();
  const sort = query.sort ?? [];
  const detailTable = kind === 'table' && query.columns !== undefined;
  const set = (patch: Partial<Query>) => onChange({ ...query, ...patch });
  // Result column keys as the server names them: field or field__grain, count or agg__field.
  const sortKeys = detailTable
    ? (query.columns ?? [])
    : [...(query.dimensions ?? []).map(dimensionKey), ...(query.measures ?? []).map(measureKey)];

  return (
    <>
      {kind === 'table' ? (
        <Form.Item label={t('widget.tableMode')}>
          <Select
            data-testid="table-mode"
            value={detailTable ? 'detail' : 'aggregate'}
            onChange={(mode) => {
              if (mode === 'detail') set({ columns: fields.slice(0, 12).map((f) => f.name), dimensions: [], measures: [], sort: [] });
              else {
                const { columns: _c, ...rest } = query;
                onChange({ ...rest, sort: [] });
              }
            }}
            options={[
              { value: 'detail', label: t('widget.modeDetail') },
              { value: 'aggregate', label: t('widget.modeAggregate') },
            ]}
          />
        </Form.Item>
      ) : null}
      <Flex gap={8}>
        <Form.Item label={t('widget.sort')} style={{ flex: 2 }}>
          <Flex gap={4}>
            <Select style={{ flex: 2, minWidth: 0 }} allowClear value={sort[0]?.key} placeholder={t('widget.noSort')}
              options={[...new Set(sortKeys)].map((k) => ({ value: k, label: k }))}
              onChange={(key?: string) => set({ sort: key ? [{ key, dir: sort[0]?.dir ?? 'desc' }] : [] })} />
            <Select style={{ width: 80 }} value={sort[0]?.dir ?? 'desc'} disabled={!sort[0]}
              options={[{ value: 'asc', label: t('widget.asc') }, { value: 'desc', label: t('widget.desc') }]}
              onChange={(dir: SortItem['dir']) => sort[0] && set({ sort: [{ key: sort[0].key, dir }] })} />
          </Flex>
        </Form.Item>
        <Form.Item label={t('widget.limit')} style={{ flex: 1 }}>
          <InputNumber min={1} max={100000} value={query.limit} style={{ width: '100%' }} onChange={(v) => set({ limit: v ?? undefined })} />
        </Form.Item>
      </Flex>
    </>
  );
}
