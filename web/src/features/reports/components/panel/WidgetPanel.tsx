import { CloseOutlined } from '@ant-design/icons';
import { isStaticWidgetKind, WIDGET_KINDS, type Field, type WidgetKind, type WidgetOptions } from '@shulan/shared';
import { Button, Divider, Flex, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Widget } from '../../../../api/types';
import { changeWidgetKind } from '../../changeWidgetKind';
import { defaultQuery, type Query } from '../../reportDraft';
import { DataSlots } from './DataSlots';
import { LayoutSettings } from './LayoutSettings';
import { QuerySettings } from './QuerySettings';
import { TextSettings } from './TextSettings';
import { resultColumns } from '../resultColumns';
import { WidgetOptionsEditor } from './WidgetOptionsEditor';
import { InteractionSettings } from '../InteractionSettings';

/**
 * The side panel of the selected widget: one section per concern (kind and title, data slots,
 * query, display options, text, size), so new kinds and options plug in as one more section.
 * `onChange(w, mark)`: `mark` folds typing into one undo step.
 */
export function WidgetPanel({ widget, fields, fallbackDatasetId, onChange, onClose }: {
  widget: Widget;
  fields: Field[];
  /** Dataset a text widget turned into a chart starts on. */
  fallbackDatasetId: string;
  onChange: (w: Widget, mark?: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const isText = isStaticWidgetKind(widget.kind);
  const query: Query = widget.query ?? defaultQuery(widget.kind, []);
  const setQuery = (q: Query, mark?: string) => onChange({ ...widget, query: q }, mark);
  const setOptions = (options: WidgetOptions | undefined, mark?: string) => {
    const { options: _o, ...rest } = widget;
    onChange(options ? { ...rest, options } : rest, mark);
  };

  return (
    <Form layout="vertical" size="small" data-testid="widget-panel" className="side-panel-form">
      <Flex justify="space-between" align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>{t('panel.widgetSettings')}</Typography.Title>
        <Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('common.close')} />
      </Flex>
      <Form.Item label={t('widget.kind')} style={{ marginTop: 12 }}>
        <Select
          data-testid="widget-kind"
          value={widget.kind}
          options={WIDGET_KINDS.map((k) => ({ value: k, label: t(`widget.kinds.${k}`, { defaultValue: k }) }))}
          onChange={(kind: WidgetKind) => onChange(changeWidgetKind(widget, kind, fields, fallbackDatasetId))}
        />
      </Form.Item>
      {!isText ? (
        <Form.Item label={t('widget.title')}>
          <Input value={widget.title} maxLength={100} onChange={(e) => onChange({ ...widget, title: e.target.value }, `title:${widget.id}`)} data-testid="widget-title" />
        </Form.Item>
      ) : null}
      {isText ? (
        <TextSettings options={widget.options} onChange={(o, mark) => setOptions(o, mark && `${mark}:${widget.id}`)} />
      ) : (
        <>
          <Divider plain style={{ margin: '8px 0' }}>{t('panel.data')}</Divider>
          <DataSlots kind={widget.kind} fields={fields} query={query} onChange={(q, mark) => setQuery(q, mark && `${mark}:${widget.id}`)} />
          <div style={{ height: 12 }} />
          <QuerySettings kind={widget.kind} fields={fields} query={query} onChange={setQuery} />
          <Divider plain style={{ margin: '8px 0' }}>{t('panel.display')}</Divider>
          <WidgetOptionsEditor kind={widget.kind} options={widget.options} columns={resultColumns(query, (agg) => t(`aggregates.${agg}`))} onChange={setOptions} />
          <InteractionSettings widget={widget} fields={fields} onChange={setOptions} />
        </>
      )}
      <LayoutSettings layout={widget.layout} onChange={(layout) => onChange({ ...widget, layout })} />
    </Form>
  );
}
