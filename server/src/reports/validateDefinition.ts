import type { ReportDefinition } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import { AppError, ValidationError, msg } from '../errors.js';
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
  for (const w of def.widgets) {
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
      if (ds && !ds.fields.some((x) => x.name === fieldName)) {
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
