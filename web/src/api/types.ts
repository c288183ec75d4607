/**
 * API shapes the web app uses, re-exported from @shulan/shared so pages import from one place.
 * Web-only additions live below.
 */
import type { ReportDefinitionInput, ReportFilterValue, WidgetInput } from '@shulan/shared';

export type {
  AuditEntry,
  AuditPage,
  CreateDatasetBody,
  CreateDatasourceBody,
  DatasetPreview,
  DatasetView,
  DatasourceView,
  Field,
  FieldType,
  FilterValues,
  GroupMemberView,
  GroupView,
  ImportReport,
  ImportRowReport,
  ImportUploadResult,
  PersonnelPage,
  QueryResult,
  QuerySpecInput,
  ReportDetail,
  ReportFilter,
  ReportFilterValue,
  ReportGrants,
  ReportList,
  ReportSummary,
  Role,
  SiteInfo,
  SourceTable,
  TestConnectionResult,
  UpdateDatasourceBody,
  UploadPreview,
  UserOption,
  UserStatus,
  WidgetDataBody,
  WidgetKind,
} from '@shulan/shared';

/** A widget while being edited: defaults (offset, sort …) may still be missing. */
export type Widget = WidgetInput;
export type ReportDefinition = ReportDefinitionInput;

/** Values the filter bar holds, by report filter id: a date range, the picked values, or null (cleared). */
export type FilterValue = ReportFilterValue;

export interface ReportInput {
  name: string;
  description: string | null;
  definition: ReportDefinition;
}
