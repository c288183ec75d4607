import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { WIDGET_KINDS, type WidgetKind } from '@shulan/shared';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Spin, Tooltip, Typography } from 'antd';
import { useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { DatasetView, Widget } from '../../../api/types';
import { useDataset } from '../../datasets/useDatasets';
import { DEFAULT_SIZE, defaultQuery } from '../reportDraft';
import { usePreviewQuery } from '../useReports';
import { QueryEditor } from './QueryEditor';
import { WidgetOptionsEditor } from './WidgetOptionsEditor';
import { InteractionSettings } from './InteractionSettings';
import { WidgetResult } from './WidgetResult';

const WIDTHS = [3, 4, 6, 8, 12];
const HEIGHTS = [2, 3, 4, 5, 6, 8];

/** Form for one widget with its live preview beside it. */
export function WidgetEditor({
  widget,
  index,
  count,
  datasets,
  onChange,
  onMove,
  onRemove,
}: {
  widget: Widget;
  index: number;
  count: number;
  datasets: DatasetView[];
  onChange: (w: Widget) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const dataset = useDataset(widget.datasetId || undefined);
  const fields = dataset.data?.fields ?? datasets.find((d) => d.id === widget.datasetId)?.fields ?? [];
  const set = (patch: Partial<Widget>) => onChange({ ...widget, ...patch });

  const query = useDeferredValue(widget.query);
  const hasShape = (query.columns?.length ?? 0) > 0 || (query.measures?.length ?? 0) > 0 || (query.dimensions?.length ?? 0) > 0;
  const preview = usePreviewQuery(widget.datasetId || undefined, { ...query, limit: Math.min(query.limit ?? 1000, widget.kind === 'table' ? 50 : 1000) }, hasShape);

  const handleDataset = (datasetId: string) => {
    const ds = datasets.find((d) => d.id === datasetId);
    set({ datasetId, query: defaultQuery(widget.kind, ds?.fields ?? []) });
  };

  return (
    <Card
      size="small"
      data-testid="widget-editor"
      title={
        <Space>
          <Typography.Text type="secondary">#{index + 1}</Typography.Text>
          {widget.title || t(`widget.kinds.${widget.kind}`)}
        </Space>
      }
      extra={
        <Space size={4}>
          <Tooltip title={t('widget.moveUp')}>
            <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} />
          </Tooltip>
          <Tooltip title={t('widget.moveDown')}>
            <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === count - 1} onClick={() => onMove(1)} />
          </Tooltip>
          <Tooltip title={t('common.delete')}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid="widget-remove" />
          </Tooltip>
        </Space>
      }
    >
      <Row gutter={24}>
        <Col xs={24} xl={12}>
          <Form layout="vertical" size="middle">
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item label={t('widget.kind')}>
                  <Select
                    value={widget.kind}
                    options={WIDGET_KINDS.map((k) => ({ value: k, label: t(`widget.kinds.${k}`) }))}
                    onChange={(kind: WidgetKind) => onChange({ ...withoutOptions(widget), kind, query: defaultQuery(kind, fields), layout: { ...widget.layout, ...DEFAULT_SIZE[kind] } })}
                  />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item label={t('widget.title')}>
                  <Input value={widget.title} maxLength={100} onChange={(e) => set({ title: e.target.value })} data-testid="widget-title" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t('widget.dataset')}>
              <Select
                data-testid="widget-dataset"
                value={widget.datasetId || undefined}
                placeholder={t('widget.pickDataset')}
                showSearch={{ optionFilterProp: 'label' }}
                options={datasets.map((d) => ({ value: d.id, label: d.name }))}
                onChange={handleDataset}
              />
            </Form.Item>
            <QueryEditor kind={widget.kind} fields={fields} query={widget.query} onChange={(q) => set({ query: q })} />
            <WidgetOptionsEditor kind={widget.kind} options={widget.options} onChange={(options) => onChange({ ...withoutOptions(widget), ...(options ? { options } : {}) })} />
            <InteractionSettings widget={widget} fields={fields} onChange={(options) => onChange({ ...withoutOptions(widget), ...(options ? { options } : {}) })} />
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item label={t('widget.width')}>
                  <Select
                    value={widget.layout.w}
                    options={WIDTHS.map((w) => ({ value: w, label: t('widget.widthOption', { n: w }) }))}
                    onChange={(w: number) => set({ layout: { ...widget.layout, w } })}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label={t('widget.height')}>
                  <Select
                    value={widget.layout.h}
                    options={HEIGHTS.map((h) => ({ value: h, label: t('widget.heightOption', { n: h }) }))}
                    onChange={(h: number) => set({ layout: { ...widget.layout, h } })}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Text type="secondary">{t('widget.preview')}</Typography.Text>
          <div style={{ height: Math.max(2, widget.layout.h) * 80, marginTop: 8, border: '1px dashed #d9d9d9', borderRadius: 6, padding: 8, overflow: 'auto' }} data-testid="widget-preview">
            {!widget.datasetId ? (
              <Typography.Text type="secondary">{t('widget.pickDatasetFirst')}</Typography.Text>
            ) : preview.error ? (
              <Alert type="warning" showIcon title={errorMessage(preview.error)} />
            ) : !preview.data ? (
              hasShape ? <Spin /> : <Typography.Text type="secondary">{t('widget.addMeasureHint')}</Typography.Text>
            ) : (
              <WidgetResult
                kind={widget.kind}
                result={preview.data}
                dimensionCount={query.dimensions?.length}
                loading={preview.isFetching}
                options={widget.options}
                title={widget.title}
              />
            )}
          </div>
        </Col>
      </Row>
    </Card>
  );
}

/** Options belong to one kind (a KPI prefix means nothing on a pie), so they go when the kind changes. */
function withoutOptions(w: Widget): Widget {
  const { options: _options, ...rest } = w;
  return rest;
}
