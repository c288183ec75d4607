import {
  AppstoreOutlined,
  AreaChartOutlined,
  BarChartOutlined,
  BorderlessTableOutlined,
  CopyOutlined,
  DashboardOutlined,
  DeleteOutlined,
  DotChartOutlined,
  EyeOutlined,
  FontSizeOutlined,
  FundOutlined,
  FunnelPlotOutlined,
  GlobalOutlined,
  LineChartOutlined,
  NumberOutlined,
  PieChartOutlined,
  RedoOutlined,
  SaveOutlined,
  TableOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { isStaticWidgetKind, WIDGET_KINDS, type Field, type ReportDetail, type WidgetKind } from '@shulan/shared';
import { Alert, App, Button, Card, Divider, Empty, Flex, Input, Result, Skeleton, Space, Tabs, Tooltip } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import type { Widget } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { useDataset, useDatasets } from '../datasets/useDatasets';
import { DashboardCanvas } from './components/canvas/DashboardCanvas';
import { FieldsPanel } from './components/fields/FieldsPanel';
import type { FieldDragData } from './components/fields/fieldDrag';
import { GrantsTab } from './components/GrantsTab';
import { ReportSettings } from './components/panel/ReportSettings';
import { WidgetPanel } from './components/panel/WidgetPanel';
import { dropFieldOnWidget } from './dropOnWidget';
import { addWidget, applyGrid, defaultQuery, dropField, duplicateWidget, emptyDefinition, newWidget, type Slot } from './reportDraft';
import { useDraft } from './useDraft';
import { useReport, useSaveReport } from './useReports';

const KIND_ICONS: Partial<Record<WidgetKind, React.ReactNode>> = {
  bar: <BarChartOutlined />,
  line: <LineChartOutlined />,
  pie: <PieChartOutlined />,
  kpi: <NumberOutlined />,
  table: <TableOutlined />,
  text: <FontSizeOutlined />,
  area: <AreaChartOutlined />,
  combo: <FundOutlined />,
  scatter: <DotChartOutlined />,
  funnel: <FunnelPlotOutlined />,
  gauge: <DashboardOutlined />,
  map: <GlobalOutlined />,
  pivot: <BorderlessTableOutlined />,
};

export function ReportEditorPage() {
  const { reportId } = useParams();
  const report = useReport(reportId);
  if (reportId && report.isPending) return <Skeleton active />;
  if (reportId && report.error) return <Result status="warning" title={errorMessage(report.error)} />;
  // Keyed by id: the draft state starts from the loaded report instead of being synced into it.
  return <ReportEditor key={reportId ?? 'new'} reportId={reportId} initial={report.data ?? null} />;
}

/**
 * The report editor: a 12-column canvas in the middle (drag to move, corner to resize), the
 * dataset's fields on the left, the selected widget's settings on the right (the report's own
 * settings and filters when nothing is selected), undo/redo over the whole definition.
 */
function ReportEditor({ reportId, initial }: { reportId: string | undefined; initial: ReportDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const datasets = useDatasets();
  const save = useSaveReport(reportId);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const draft = useDraft(initial?.definition ?? emptyDefinition());
  const { definition, change, settle } = draft;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // The tab lives in the URL so it survives the switch from /reports/new to /reports/:id/edit on first save.
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') ?? 'design';
  const setTab = (key: string) => setSearch(key === 'design' ? {} : { tab: key }, { replace: true });
  const [created, setCreated] = useState(false);
  const widgets = definition.widgets;
  const filters = definition.filters ?? [];
  const datasetList = datasets.data ?? [];
  const selected = widgets.find((w) => w.id === selectedId) ?? null;

  // Fields of the selected widget's dataset (the list carries them; the detail call is fresher).
  const datasetDetail = useDataset(selected?.datasetId || undefined);
  const fields: Field[] = datasetDetail.data?.fields ?? datasetList.find((d) => d.id === selected?.datasetId)?.fields ?? [];

  // ---- unsaved changes ----
  const [savedText, setSavedText] = useState(() => [initial?.name ?? '', initial?.description ?? '']);
  const dirty = draft.dirty || name.trim() !== savedText[0]!.trim() || description.trim() !== (savedText[1] ?? '').trim();
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const blocker = useBlocker(useCallback(({ currentLocation, nextLocation }) => dirtyRef.current && currentLocation.pathname !== nextLocation.pathname, []));
  // One dialog per blocked navigation: a re-render while it is open (a refetch finishing, a new
  // blocker object) must not stack a second dialog over the first.
  const asking = useRef(false);
  useEffect(() => {
    if (blocker.state !== 'blocked' || asking.current) return;
    asking.current = true;
    const held = blocker;
    modal.confirm({
      title: t('editor.unsavedTitle'),
      content: t('editor.unsavedBody'),
      okText: t('editor.leave'),
      cancelText: t('editor.stay'),
      onOk: () => {
        asking.current = false;
        held.proceed();
      },
      onCancel: () => {
        asking.current = false;
        held.reset();
      },
    });
  }, [blocker, modal, t]);
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (dirtyRef.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, []);

  // ---- edits ----
  const setWidgets = (fn: (ws: Widget[]) => Widget[], mark?: string) => change((d) => ({ ...d, widgets: fn(d.widgets) }), mark);
  const updateWidget = (w: Widget, mark?: string) => setWidgets((ws) => ws.map((x) => (x.id === w.id ? w : x)), mark);

  const add = (kind: WidgetKind) => {
    // New charts start on the dataset the selected (else the last) widget uses, else on the newest
    // dataset: usually the file just uploaded for this report.
    const newest = [...datasetList].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const datasetId = selected?.datasetId ?? [...widgets].reverse().find((w) => w.datasetId)?.datasetId ?? newest?.id ?? '';
    const w = newWidget(kind, datasetId, datasetList.find((d) => d.id === datasetId)?.fields ?? []);
    setWidgets((ws) => addWidget(ws, w));
    setSelectedId(w.id);
  };
  const duplicate = () => {
    if (!selected) return;
    const res = duplicateWidget(widgets, selected.id);
    change((d) => ({ ...d, widgets: res.widgets }));
    setSelectedId(res.id);
  };
  const remove = () => {
    if (!selected) return;
    setWidgets((ws) => ws.filter((w) => w.id !== selected.id));
    setSelectedId(null);
  };
  const setDataset = (datasetId: string) => {
    if (!selected || isStaticWidgetKind(selected.kind)) return;
    const ds = datasetList.find((d) => d.id === datasetId);
    updateWidget({ ...selected, datasetId, query: defaultQuery(selected.kind, ds?.fields ?? []) });
  };
  const addField = (field: Field, slot: Slot) => {
    if (!selected || !selected.query) return;
    updateWidget({ ...selected, query: dropField(selected.kind, selected.query, field, slot) });
  };
  // A field dragged from the fields panel straight onto a canvas widget: one undo step, and the
  // widget becomes the selected one so its slots show what was added.
  const dropOnWidget = (widgetId: string, data: FieldDragData) => {
    const target = widgets.find((w) => w.id === widgetId);
    if (!target) return;
    const widgetName = target.title || t(`widget.kinds.${target.kind}`, { defaultValue: target.kind });
    const fromDataset = data.datasetId ?? selected?.datasetId ?? '';
    const datasetFields = fromDataset === selected?.datasetId ? fields : (datasetList.find((d) => d.id === fromDataset)?.fields ?? []);
    const field = datasetFields.find((f) => f.name === data.name);
    if (!field) {
      void message.warning(t('canvas.dropUnknownField', { field: data.name }));
      return;
    }
    const res = dropFieldOnWidget(target, field, fromDataset);
    if ('refused' in res) {
      const key = { notData: 'canvas.dropNotData', otherDataset: 'canvas.dropOtherDataset', noRoom: 'canvas.dropNoRoom' }[res.refused];
      void message.warning(t(key, { field: field.name, widget: widgetName, dataset: datasetList.find((d) => d.id === fromDataset)?.name ?? '' }));
      return;
    }
    updateWidget(res.widget);
    setSelectedId(target.id);
  };
  const slots: Slot[] = !selected
    ? []
    : selected.kind === 'table' && selected.query?.columns !== undefined
      ? ['column', 'filter']
      : selected.kind === 'kpi'
        ? ['measure', 'filter']
        : ['dimension', 'measure', 'filter'];

  const handleSave = () => {
    if (!name.trim()) {
      void message.error(t('editor.nameRequired'));
      return;
    }
    if (filters.some((f) => !f.label.trim() || !f.field)) {
      setSelectedId(null);
      void message.error(t('editor.filtersIncomplete'));
      return;
    }
    const body = { name: name.trim(), description: description.trim() || null, definition };
    save.mutate(body, {
      onSuccess: (result) => {
        setSavedText([name, description]);
        draft.markSaved(definition);
        dirtyRef.current = false;
        void message.success(t('common.saved'));
        if (!reportId) {
          // Hand over to the saved report's editor; until it mounts, show nothing clickable so no
          // click lands on this soon-gone instance.
          setCreated(true);
          void navigate(`/reports/${result.id}/edit${tab === 'design' ? '' : `?tab=${tab}`}`, { replace: true });
        }
      },
      onError: (err) => void message.error(errorMessage(err)),
    });
  };

  const toolbar = (
    <Flex wrap gap={8} align="center" className="editor-toolbar" data-testid="editor-toolbar">
      <Space.Compact>
        {WIDGET_KINDS.map((kind) => (
          <Tooltip key={kind} title={t('editor.addKind', { kind: t(`widget.kinds.${kind}`, { defaultValue: kind }) })}>
            <Button icon={KIND_ICONS[kind] ?? <AppstoreOutlined />} onClick={() => add(kind)} data-testid={`widget-add-${kind}`}>
              {t(`widget.kinds.${kind}`, { defaultValue: kind })}
            </Button>
          </Tooltip>
        ))}
      </Space.Compact>
      <Divider orientation="vertical" />
      <Tooltip title={t('editor.undo')}>
        <Button icon={<UndoOutlined />} disabled={!draft.canUndo} onClick={draft.undo} aria-label={t('editor.undo')} data-testid="editor-undo" />
      </Tooltip>
      <Tooltip title={t('editor.redo')}>
        <Button icon={<RedoOutlined />} disabled={!draft.canRedo} onClick={draft.redo} aria-label={t('editor.redo')} data-testid="editor-redo" />
      </Tooltip>
      <Tooltip title={t('editor.duplicate')}>
        <Button icon={<CopyOutlined />} disabled={!selected} onClick={duplicate} aria-label={t('editor.duplicate')} data-testid="widget-duplicate" />
      </Tooltip>
      <Tooltip title={t('common.delete')}>
        <Button icon={<DeleteOutlined />} danger disabled={!selected} onClick={remove} aria-label={t('common.delete')} data-testid="widget-remove" />
      </Tooltip>
      {datasets.isSuccess && datasetList.length === 0 ? (
        <Button type="link" onClick={() => void navigate('/datasources')}>
          {t('editor.noDatasets')}
        </Button>
      ) : null}
    </Flex>
  );

  const design = (
    <Flex vertical gap={12}>
      {toolbar}
      <div className="editor-layout">
        <Card size="small" className="editor-fields" title={t('fields.title')}>
          <FieldsPanel
            datasets={datasetList}
            datasetId={selected?.datasetId}
            fields={fields}
            slots={slots}
            disabledReason={!selected ? t('fields.selectWidget') : isStaticWidgetKind(selected.kind) ? t('fields.textWidget') : null}
            onDataset={setDataset}
            onAdd={addField}
          />
        </Card>
        <div className="editor-canvas">
          {widgets.length === 0 ? (
            <Card>
              <Empty description={t('editor.noWidgets')} />
            </Card>
          ) : (
            <DashboardCanvas
              widgets={widgets}
              selectedId={selectedId}
              onSelect={setSelectedId}
              onFieldDrop={dropOnWidget}
              onCommit={(items) => change((d) => ({ ...d, widgets: applyGrid(d.widgets, items) }))}
              onSettle={(items) => settle((d) => {
                const next = applyGrid(d.widgets, items);
                return next === d.widgets ? d : { ...d, widgets: next };
              })}
            />
          )}
        </div>
        <Card size="small" className="editor-side">
          {selected ? (
            <WidgetPanel
              key={selected.id}
              widget={selected}
              fields={fields}
              fallbackDatasetId={[...widgets].reverse().find((w) => w.datasetId)?.datasetId ?? datasetList[0]?.id ?? ''}
              onChange={updateWidget}
              onClose={() => setSelectedId(null)}
            />
          ) : (
            <ReportSettings
              description={description}
              onDescription={setDescription}
              filters={filters}
              datasets={datasetList}
              usedDatasetIds={[...new Set(widgets.flatMap((w) => (w.datasetId ? [w.datasetId] : [])))]}
              onFilters={(next) => change((d) => ({ ...d, filters: next }), 'report-filters')}
            />
          )}
        </Card>
      </div>
    </Flex>
  );

  if (created) return <Skeleton active />;
  return (
    <>
      <PageHeader
        title={
          <Input
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            data-testid="report-name"
            placeholder={t('editor.namePlaceholder')}
            aria-label={t('editor.name')}
            variant="borderless"
            className="editor-name"
          />
        }
        extra={
          <Space>
            {dirty ? <span className="editor-dirty" data-testid="editor-dirty">{t('editor.unsaved')}</span> : null}
            {reportId ? (
              <Button icon={<EyeOutlined />} onClick={() => void navigate(`/reports/${reportId}`)} data-testid="report-open">
                {t('editor.view')}
              </Button>
            ) : null}
            <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={handleSave} data-testid="save-report">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'design', label: t('editor.tabDesign'), children: design },
          {
            key: 'grants',
            label: <span data-testid="tab-grants">{t('editor.tabGrants')}</span>,
            children: reportId ? <GrantsTab reportId={reportId} /> : <Alert type="info" showIcon title={t('editor.saveFirst')} />,
          },
        ]}
      />
    </>
  );
}
