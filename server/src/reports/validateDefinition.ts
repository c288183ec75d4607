import { dimensionKey, isDataWidget, measureKey, type DataWidget, type ReportDefinition } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import { AppError, ValidationError, msg } from '../errors.js';
import { rowFieldsOf } from '../calc/calcScope.js';
import { compileQuery } from './compileQuery.js';
import { assertInteraction } from './interaction.js';
import { filterFieldIn } from './reportFilters.js';

export type DatasetLoader = (datasetId: string) => Promise<QueryableDataset>;

/** Loads each dataset once per request. */
export function memoLoader(load: DatasetLoader): DatasetLoader {
  const seen = new Map<string, Promise<QueryableDataset>>();
  return (id) => {
    let p = seen.get(id);
    if (!p) {
      p = load(id);
      seen.set(id, p);
    }
    return p;
  };
}

/**
 * Checks every widget's query against its dataset and every report filter against the
 * datasets it applies to. Throws ValidationError saying which widget or filter and field.
 */
export async function validateDefinition(def: ReportDefinition, loadDataset: DatasetLoader): Promise<void> {
  const datasets: QueryableDataset[] = [];
  // Text widgets have no dataset or query: nothing to check against data.
  for (const w of def.widgets.filter(isDataWidget)) {
    const name = w.title || w.id;
    let ds: QueryableDataset;
    try {
      ds = await loadDataset(w.datasetId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        throw new ValidationError(msg(`组件「${name}」的数据集不存在`, `The dataset of widget "${name}" does not exist`), {
          widgetId: w.id,
        });
      }
      throw err;
    }
    try {
      compileQuery(ds, w.query, []);
      assertInteraction(w, ds);
    } catch (err) {
      if (err instanceof ValidationError) {
        throw new ValidationError(msg(`组件「${name}」：${err.msg.zh}`, `Widget "${name}": ${err.msg.en}`), {
          widgetId: w.id,
          ...(isRecord(err.details) ? err.details : {}),
        });
      }
      throw err;
    }
    if (!datasets.some((d) => d.id === ds.id)) datasets.push(ds);
    checkChartOptions(w, ds);
    if (w.options?.compare) {
      if (w.kind !== 'kpi') {
        throw new ValidationError(msg(`组件「${name}」：只有指标卡可以对比上期`, `Widget "${name}": only KPI cards compare with an earlier period`), { widgetId: w.id });
      }
      // The period to compare comes from a date-range filter; without one the change could never show.
      if (!def.filters.some((f) => f.kind === 'date_range' && filterFieldIn(f, ds))) {
        throw new ValidationError(
          msg(`组件「${name}」：对比上期需要报表有作用于该数据集的日期范围筛选`, `Widget "${name}": comparing needs a report date-range filter on its dataset`),
          { widgetId: w.id },
        );
      }
    }
  }

  for (const f of def.filters) {
    for (const [dsId, fieldName] of Object.entries(f.datasetFields ?? {})) {
      const ds = datasets.find((d) => d.id === dsId);
      if (ds && !rowFieldsOf(ds).some((x) => x.name === fieldName)) {
        throw new ValidationError(
          msg(`筛选器「${f.label}」：字段「${fieldName}」不存在于数据集「${ds.name}」`, `Filter "${f.label}": field "${fieldName}" does not exist in dataset "${ds.name}"`),
          { filterId: f.id, field: fieldName },
        );
      }
    }
    const fields = datasets.map((d) => filterFieldIn(f, d)).filter((x) => x !== null);
    if (datasets.length > 0 && fields.length === 0) {
      throw new ValidationError(
        msg(`筛选器「${f.label}」：没有组件的数据集包含字段「${f.field}」`, `Filter "${f.label}": no widget's dataset has the field "${f.field}"`),
        { filterId: f.id, field: f.field },
      );
    }
    const wrong = fields.find((x) => (f.kind === 'date_range' ? x.type !== 'date' && x.type !== 'datetime' : false));
    if (wrong) {
      throw new ValidationError(
        msg(`筛选器「${f.label}」：字段「${wrong.name}」不是日期`, `Filter "${f.label}": field "${wrong.name}" is not a date`),
        { filterId: f.id, field: wrong.name },
      );
    }
  }
}

/**
 * Options that name result columns must name columns the widget's query returns: a typo would
 * otherwise silently draw nothing on the right axis or leave a column unformatted.
 */
function checkChartOptions(w: DataWidget, ds: QueryableDataset): void {
  const name = w.title || w.id;
  const o = w.options;
  const fail = (zh: string, en: string) => {
    throw new ValidationError(msg(`组件「${name}」：${zh}`, `Widget "${name}": ${en}`), { widgetId: w.id });
  };
  const measures = w.query.measures.map(measureKey);
  const keys = new Set([...(w.query.columns ?? []), ...w.query.dimensions.map(dimensionKey), ...measures]);
  // A detail table without a column list shows every field.
  if (keys.size === 0) for (const f of ds.fields) keys.add(f.name);
  if (w.kind === 'scatter' && w.query.measures.length < 2) fail('散点图需要两个指标（横轴和纵轴）', 'a scatter chart needs two measures (x and y)');
  if (!o) return;
  for (const key of o.secondaryMeasures ?? []) {
    if (!measures.includes(key)) fail(`右轴指标「${key}」不是该组件的指标`, `the right-axis measure "${key}" is not one of the widget's measures`);
  }
  for (const key of Object.keys(o.formats ?? {})) {
    if (!keys.has(key)) fail(`格式设置的列「${key}」不在查询结果中`, `the formatted column "${key}" is not in the query result`);
  }
  if (o.sparkline && !ds.fields.some((f) => f.type === 'date' || f.type === 'datetime')) {
    fail('趋势迷你图需要数据集有日期字段', 'a sparkline needs a date field in the dataset');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
