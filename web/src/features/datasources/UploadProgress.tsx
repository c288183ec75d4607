import { LoadingOutlined } from '@ant-design/icons';
import { Flex, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UploadStatus } from './uploadStatus';

const PHASE_KEY = { uploading: 'upload.phaseUploading', analyzing: 'upload.phaseAnalyzing', importing: 'upload.phaseImporting' } as const;

/** 上传中 / 分析中 / 导入中 with a percent when one is known, the rows read, and the sheet under way. */
export function UploadProgress({ status }: { status: UploadStatus }) {
  const { t } = useTranslation();
  const rows =
    status.rowsRead === undefined
      ? null
      : status.rowCount
        ? t('upload.rowsOf', { read: status.rowsRead.toLocaleString(), total: status.rowCount.toLocaleString() })
        : t('upload.rowsRead', { read: status.rowsRead.toLocaleString() });
  return (
    <div data-testid="upload-progress" style={{ marginTop: 12, textAlign: 'start' }}>
      <Flex gap={8} align="center" wrap>
        {status.percent === null ? <LoadingOutlined /> : null}
        <Typography.Text strong data-testid="upload-phase">
          {t(PHASE_KEY[status.phase])}
        </Typography.Text>
        {status.percent !== null ? <Typography.Text data-testid="upload-percent">{status.percent}%</Typography.Text> : null}
        {status.sheet ? (
          <Typography.Text type="secondary" data-testid="upload-progress-sheet">
            {t('upload.sheetOf', status.sheet)}
          </Typography.Text>
        ) : null}
        {rows ? <Typography.Text type="secondary">{rows}</Typography.Text> : null}
      </Flex>
      {status.percent !== null ? <Progress percent={status.percent} size="small" showInfo={false} /> : null}
    </div>
  );
}
