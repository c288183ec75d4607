import { ArrowLeftOutlined, EditOutlined, SendOutlined, StarFilled, StarOutlined } from '@ant-design/icons';
import { isStaticWidgetKind, type ReportDetail, type SelectionItem, type ViewAsTicket } from '@shulan/shared';
import { App, Button, Card, Empty, Result, Skeleton, Space, Tooltip } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import type { FilterValue, Widget } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar } from './components/FilterBar';
import { SelectionBar } from './components/SelectionBar';
import { readViewState, toggleSelection, writeViewState, type DrillPath, type ViewState } from './viewState';
import { SubscriptionsPanel } from './subscriptions/SubscriptionsPanel';
import { TextBlock } from './components/TextBlock';
import { WidgetCard } from './components/WidgetCard';
import { useReport, useSetFavorite } from './useReports';
import { useMe } from '../../auth/useAuth';
import { ViewAsBanner, ViewAsButton } from '../permissions/ViewAsButton';

export function ReportPage() {
  const { reportId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const report = useReport(reportId);

  if (report.isPending) return <Skeleton active />;
  if (report.error) {
    return (
      <Result
        status="warning"
        title={errorMessage(report.error)}
        extra={<Button onClick={() => void navigate('/reports')}>{t('report.backToList')}</Button>}
      />
    );
  }
  return <ReportBody key={reportId} report={report.data} />;
}

function ReportBody({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { widgets, filters: reportFilters } = report.definition;
  // Filters (from the saved defaults), linkage and drill-down live in the URL: a copied link
  // reproduces the view, and the browser's back button undoes a step.
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readViewState(params, reportFilters), [params, reportFilters]);
  const setView = useCallback(
    (patch: Partial<ViewState>) => setParams(writeViewState({ ...view, ...patch }, reportFilters)),
    [view, reportFilters, setParams],
  );
  const filters = view.filters;
  const setFilters = (next: Record<string, FilterValue>) => setView({ filters: next });
  const [subscriptionsOpen, setSubscriptionsOpen] = useState(false);
  const me = useMe();
  // An admin's "view as" ticket: while set, every widget asks for the data as that user sees it.
  const [viewAs, setViewAs] = useState<ViewAsTicket | null>(null);

  return (
    <>
      <PageHeader
        title={
          <Space>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => void navigate('/reports')} aria-label={t('report.backToList')} />
            <span data-testid="report-title">{report.name}</span>
            <FavoriteButton reportId={report.id} favorite={report.favorite === true} />
          </Space>
        }
        subTitle={report.description ?? undefined}
        extra={
          report.canEdit ? (
            <Space>
              {me.data?.role === 'admin' ? <ViewAsButton reportId={report.id} onTicket={setViewAs} /> : null}
              <Button icon={<SendOutlined />} onClick={() => setSubscriptionsOpen(true)} data-testid="report-subscriptions">
                {t('subscriptions.button')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => void navigate(`/reports/${report.id}/edit`)} data-testid="report-edit">
                {t('common.edit')}
              </Button>
            </Space>
          ) : null
        }
      />
      {subscriptionsOpen && (
        <SubscriptionsPanel reportId={report.id} reportFilters={reportFilters} pageFilters={filters} onClose={() => setSubscriptionsOpen(false)} />
      )}
      {viewAs ? <ViewAsBanner ticket={viewAs} onExit={() => setViewAs(null)} /> : null}
      <FilterBar reportId={report.id} filters={reportFilters} values={filters} onChange={setFilters} viewAs={viewAs?.token} />
      <SelectionBar selection={view.selection} widgets={widgets} onChange={(selection) => setView({ selection })} />
      {widgets.length === 0 ? (
        <Card>
          <Empty description={t('report.noWidgets')} />
        </Card>
      ) : (
        <div className="report-grid">
          {inReadingOrder(widgets).map((w) => (
            <div key={w.id} className="widget-cell" style={gridPlacement(w.layout)} data-widget-id={w.id}>
              {isStaticWidgetKind(w.kind) ? (
                <TextBlock options={w.options} />
              ) : (
                <WidgetCard
                  reportId={report.id}
                  widget={w}
                  filters={filters}
                  viewAs={viewAs?.token}
                  selection={view.selection}
                  drill={view.drill[w.id]}
                  onSelect={(items: SelectionItem[]) => setView({ selection: toggleSelection(view.selection, items) })}
                  onDrill={(path: DrillPath) => setView({ drill: { ...view.drill, [w.id]: path } })}
                />
              )}
            </div>
          ))}
        </div>
      )}
    </>
  );
}

/** ★ — the same favorites as the mini program's home tab. */
function FavoriteButton({ reportId, favorite }: { reportId: string; favorite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const setFavorite = useSetFavorite(reportId);
  const label = favorite ? t('report.unfavorite') : t('report.favorite');
  return (
    <Tooltip title={label}>
      <Button
        type="text"
        aria-label={label}
        aria-pressed={favorite}
        data-testid="report-favorite"
        loading={setFavorite.isPending}
        icon={favorite ? <StarFilled style={{ color: '#e37318' }} /> : <StarOutlined />}
        onClick={() => setFavorite.mutate(!favorite, { onError: (err) => void message.error(errorMessage(err)) })}
      />
    </Tooltip>
  );
}

/**
 * Row by row, left to right: the order a narrow screen stacks them in (as the mini program does);
 * on a wide one each widget sits at its own grid place whatever the order.
 */
function inReadingOrder(widgets: Widget[]): Widget[] {
  return [...widgets].sort((a, b) => (a.layout?.y ?? 0) - (b.layout?.y ?? 0) || (a.layout?.x ?? 0) - (b.layout?.x ?? 0));
}

/** `layout {x,y,w,h}` on the 12-column grid; out-of-range values are pulled back inside. */
function gridPlacement(layout: Widget['layout'] | undefined): React.CSSProperties {
  const w = clamp(layout?.w ?? 6, 1, 12);
  const x = clamp(layout?.x ?? 0, 0, 12 - w);
  const h = clamp(layout?.h ?? 4, 1, 40);
  const y = clamp(layout?.y ?? 0, 0, 1000);
  // --rows: the height a narrow screen keeps when it stacks the widgets (styles.css).
  return { gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}`, '--rows': h } as React.CSSProperties;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(n)));
}
