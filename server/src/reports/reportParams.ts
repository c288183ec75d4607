import { z } from 'zod';

const LocalId = z.string().min(1).max(64);

export const ReportParamsSchema = z.strictObject({ reportId: LocalId });
export const WidgetParamsSchema = z.strictObject({ reportId: LocalId, widgetId: LocalId });
export const FilterParamsSchema = z.strictObject({ reportId: LocalId, filterId: LocalId });
