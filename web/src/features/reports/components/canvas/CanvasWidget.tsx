import { HolderOutlined } from '@ant-design/icons';
import { isStaticWidgetKind } from '@shulan/shared';
import { Alert, Spin, Typography } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../api/apiClient';
import type { Widget } from '../../../../api/types';
import { usePreviewQuery } from '../../useReports';
import { fieldDragData, isFieldDrag, type FieldDragData } from '../fields/fieldDrag';
import { TextBlock } from '../TextBlock';
import { WidgetResult } from '../WidgetResult';

/**
 * One widget on the editor canvas, drawing its live result from the unsaved draft. The header is
 * the drag handle; the rest of the card takes clicks (select) without starting a drag. A field
 * dragged from the fields panel can be dropped on the card itself (`onFieldDrop`).
 */
export function CanvasWidget({ widget, selected, onSelect, onFieldDrop }: {
  widget: Widget;
  selected: boolean;
  onSelect: () => void;
  onFieldDrop: (data: FieldDragData) => void;
}) {
  const { t } = useTranslation();
  const isText = isStaticWidgetKind(widget.kind);
  const [over, setOver] = useState(false);
  return (
    <div
      className={`canvas-widget${selected ? ' canvas-widget-selected' : ''}${isText ? ' canvas-widget-text' : ''}${over ? ' canvas-widget-drop' : ''}`}
      data-testid="canvas-widget"
      data-widget-id={widget.id}
      data-kind={widget.kind}
      aria-selected={selected}
      onMouseDown={onSelect}
      onFocus={onSelect}
      tabIndex={0}
      onDragOver={(e) => {
        if (!isFieldDrag(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      // Leaving for a child element (the chart inside) is not leaving the card.
      onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setOver(false)}
      onDrop={(e) => {
        setOver(false);
        if (!isFieldDrag(e)) return;
        e.preventDefault();
        const data = fieldDragData(e);
        if (data) onFieldDrop(data);
      }}
    >
      <div className="canvas-widget-head canvas-drag-handle" title={t('canvas.dragHint')}>
        <HolderOutlined />
        <Typography.Text ellipsis strong={!isText} type={isText ? 'secondary' : undefined} style={{ flex: 1 }}>
          {isText ? t('widget.kinds.text') : widget.title || t(`widget.kinds.${widget.kind}`, { defaultValue: widget.kind })}
        </Typography.Text>
      </div>
      <div className="canvas-widget-body" data-testid="widget-preview">
        {isText ? <TextBlock options={widget.options} /> : <DataPreview widget={widget} />}
      </div>
    </div>
  );
}

function DataPreview({ widget }: { widget: Widget }) {
  const { t } = useTranslation();
  // Deferred: typing a measure label does not rerun the query on every key.
  const query = useDeferredValue(widget.query ?? {});
  const hasShape = (query.columns?.length ?? 0) > 0 || (query.measures?.length ?? 0) > 0 || (query.dimensions?.length ?? 0) > 0;
  const preview = usePreviewQuery(widget.datasetId || undefined, { ...query, limit: Math.min(query.limit ?? 1000, widget.kind === 'table' ? 50 : 1000) }, hasShape);
  if (!widget.datasetId) return <Typography.Text type="secondary">{t('widget.pickDatasetFirst')}</Typography.Text>;
  if (preview.error) return <Alert type="warning" showIcon title={errorMessage(preview.error)} />;
  if (!preview.data) return hasShape ? <Spin /> : <Typography.Text type="secondary">{t('widget.addMeasureHint')}</Typography.Text>;
  return (
    <WidgetResult
      kind={widget.kind}
      result={preview.data}
      dimensionCount={query.dimensions?.length}
      loading={preview.isFetching}
      options={widget.options}
      title={widget.title}
    />
  );
}
