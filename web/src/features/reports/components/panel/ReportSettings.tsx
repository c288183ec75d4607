import type { DatasetView } from '@shulan/shared';
import { Divider, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReportFilter } from '../../../../api/types';
import { ReportFiltersEditor } from '../ReportFiltersEditor';

/** The side panel when no widget is selected: the report's description and its filters. */
export function ReportSettings({ description, onDescription, filters, datasets, usedDatasetIds, onFilters }: {
  description: string;
  onDescription: (d: string) => void;
  filters: ReportFilter[];
  datasets: DatasetView[];
  usedDatasetIds: string[];
  onFilters: (f: ReportFilter[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Form layout="vertical" size="small" data-testid="report-settings">
      <Typography.Title level={5} style={{ marginTop: 0 }}>{t('panel.reportSettings')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('panel.selectHint')}</Typography.Paragraph>
      <Form.Item label={t('editor.description')}>
        <Input.TextArea value={description} maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} onChange={(e) => onDescription(e.target.value)} data-testid="report-description" />
      </Form.Item>
      <Divider plain style={{ margin: '8px 0' }}>{t('editor.tabFilters')}</Divider>
      <ReportFiltersEditor filters={filters} datasets={datasets} usedDatasetIds={usedDatasetIds} onChange={onFilters} />
    </Form>
  );
}
