import {
  AreaChartOutlined,
  BarChartOutlined,
  BorderlessTableOutlined,
  DashboardOutlined,
  DotChartOutlined,
  EyeOutlined,
  FundOutlined,
  FunnelPlotOutlined,
  GlobalOutlined,
  LineChartOutlined,
  NumberOutlined,
  PieChartOutlined,
  SaveOutlined,
  TableOutlined,
} from '@ant-design/icons';
import { WIDGET_KINDS, type WidgetKind } from '@shulan/shared';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Result, Skeleton, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import type { ReportDetail } from '@shulan/shared';
import type { ReportDefinition, Widget } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { useDatasets } from '../datasets/useDatasets';
import { GrantsTab } from './components/GrantsTab';
import { ReportFiltersEditor } from './components/ReportFiltersEditor';
import { WidgetEditor } from './components/WidgetEditor';
import { autoLayout, emptyDefinition, newWidget } from './reportDraft';
import { useReport, useSaveReport } from './useReports';

const KIND_ICONS: Record<WidgetKind, React.ReactNode> = {
  bar: <BarChartOutlined />,
  line: <LineChartOutlined />,
  pie: <PieChartOutlined />,
  kpi: <NumberOutlined />,
  table: <TableOutlined />,
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

function ReportEditor({ reportId, initial }: { reportId: string | undefined; initial: ReportDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const datasets = useDatasets();
  const save = useSaveReport(reportId);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [definition, setDefinition] = useState<ReportDefinition>(() => initial?.definition ?? emptyDefinition());
  // The tab lives in the URL so it survives the switch from /reports/new to /reports/:id/edit on first save.
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') ?? 'design';
  const setTab = (key: string) => setSearch(key === 'design' ? {} : { tab: key }, { replace: true });
  const [created, setCreated] = useState(false);
  const widgets = definition.widgets;
  const filters = definition.filters ?? [];
  const datasetList = datasets.data ?? [];

  const setWidgets = (next: Widget[]) => setDefinition((d) => ({ ...d, widgets: next }));
  const addWidget = (kind: WidgetKind) => {
    // New widgets start on the dataset the previous one used (most reports chart one dataset),
    // else on the newest dataset: usually the file that was just uploaded for this report.
    const newest = [...datasetList].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const datasetId = widgets[widgets.length - 1]?.datasetId ?? newest?.id ?? '';
    const fields = datasetList.find((d) => d.id === datasetId)?.fields ?? [];
    setWidgets([...widgets, newWidget(kind, datasetId, fields)]);
  };
  const move = (i: number, delta: -1 | 1) => {
    const next = [...widgets];
    const [w] = next.splice(i, 1);
    next.splice(i + delta, 0, w!);
    setWidgets(next);
  };

  const handleSave = () => {
    if (!name.trim()) {
      void message.error(t('editor.nameRequired'));
      return;
    }
    if (filters.some((f) => !f.label.trim() || !f.field)) {
      setTab('filters');
      void message.error(t('editor.filtersIncomplete'));
      return;
    }
    const body = { name: name.trim(), description: description.trim() || null, definition: { ...definition, widgets: autoLayout(widgets) } };
    save.mutate(body, {
      onSuccess: (saved) => {
        void message.success(t('common.saved'));
        if (!reportId) {
          // Hand over to the saved report's editor; until it mounts, show nothing clickable so no
          // click lands on this soon-gone instance.
          setCreated(true);
          void navigate(`/reports/${saved.id}/edit${tab === 'design' ? '' : `?tab=${tab}`}`, { replace: true });
        }
      },
      onError: (err) => void message.error(errorMessage(err)),
    });
  };

  const design = (
    <Flex vertical gap={16}>
      <Card size="small">
        <Form layout="vertical">
          <Form.Item label={t('editor.name')} required>
            <Input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="report-name" placeholder={t('editor.namePlaceholder')} />
          </Form.Item>
          <Form.Item label={t('editor.description')} style={{ marginBottom: 0 }}>
            <Input.TextArea value={description} maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} onChange={(e) => setDescription(e.target.value)} data-testid="report-description" />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t('editor.addWidget')}>
        <Space wrap>
          {WIDGET_KINDS.map((kind) => (
            <Button key={kind} icon={KIND_ICONS[kind]} onClick={() => addWidget(kind)} data-testid={`widget-add-${kind}`}>
              {t(`widget.kinds.${kind}`)}
            </Button>
          ))}
        </Space>
        {datasets.isSuccess && datasetList.length === 0 ? (
          <div style={{ marginTop: 8 }}>
            <Button type="link" style={{ padding: 0 }} onClick={() => void navigate('/datasources')}>
              {t('editor.noDatasets')}
            </Button>
          </div>
        ) : null}
      </Card>
      {widgets.length === 0 ? (
        <Card>
          <Empty description={t('editor.noWidgets')} />
        </Card>
      ) : (
        widgets.map((w, i) => (
          <WidgetEditor
            key={w.id}
            widget={w}
            index={i}
            count={widgets.length}
            datasets={datasetList}
            onChange={(nw) => setWidgets(widgets.map((x) => (x.id === w.id ? nw : x)))}
            onMove={(delta) => move(i, delta)}
            onRemove={() => setWidgets(widgets.filter((x) => x.id !== w.id))}
          />
        ))
      )}
    </Flex>
  );

  if (created) return <Skeleton active />;
  return (
    <>
      <PageHeader
        title={reportId ? t('editor.editTitle') : t('editor.newTitle')}
        extra={
          <Space>
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
            key: 'filters',
            label: t('editor.tabFilters'),
            children: (
              <ReportFiltersEditor
                filters={filters}
                datasets={datasetList}
                usedDatasetIds={[...new Set(widgets.map((w) => w.datasetId))]}
                onChange={(next) => setDefinition((d) => ({ ...d, filters: next }))}
              />
            ),
          },
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
