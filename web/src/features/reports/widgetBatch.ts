import type { ReportData, WidgetData, WidgetDataBody } from '@shulan/shared';
import { ApiError, api } from '../../api/apiClient';

/**
 * Widget data requests of one report made in the same task (a dashboard rendering all its
 * widgets, or a filter change refetching them) go out as one report data call: one request
 * instead of a dozen, and the server checks access and reads the report once. A lone request
 * (paging one table) keeps the widget's own call.
 */
interface Waiting {
  widgetId: string;
  body: WidgetDataBody;
  resolve: (data: WidgetData) => void;
  reject: (err: unknown) => void;
}

/** The server's limit per call (ReportDataBodySchema). */
const MAX_PER_CALL = 30;
const waiting = new Map<string, Waiting[]>();

export function loadWidgetData(reportId: string, widgetId: string, body: WidgetDataBody): Promise<WidgetData> {
  return new Promise((resolve, reject) => {
    let queue = waiting.get(reportId);
    if (!queue) {
      waiting.set(reportId, (queue = []));
      // After the current task, so every widget rendered in this pass joins.
      setTimeout(() => flush(reportId), 0);
    }
    queue.push({ widgetId, body, resolve, reject });
  });
}

function flush(reportId: string): void {
  const queue = waiting.get(reportId) ?? [];
  waiting.delete(reportId);
  for (let i = 0; i < queue.length; i += MAX_PER_CALL) void send(reportId, queue.slice(i, i + MAX_PER_CALL));
}

async function send(reportId: string, group: Waiting[]): Promise<void> {
  if (group.length === 1) {
    const [one] = group as [Waiting];
    api.post<WidgetData>(`/reports/${reportId}/widgets/${one.widgetId}/data`, one.body).then(one.resolve, one.reject);
    return;
  }
  try {
    const res = await api.post<ReportData>(`/reports/${reportId}/data`, { widgets: group.map(({ widgetId, body }) => ({ widgetId, body })) });
    group.forEach((w, i) => {
      const item = res.widgets[i];
      if (item && 'data' in item) w.resolve(item.data);
      else if (item) w.reject(new ApiError(item.error.status, item.error.code, item.error.message, item.error.details));
      else w.reject(new ApiError(500, 'internal_error', `no answer for widget ${w.widgetId}`));
    });
  } catch (err) {
    for (const w of group) w.reject(err);
  }
}
