import { BarChartOutlined, CopyOutlined, DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined, StarFilled } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Input, Popconfirm, Row, Segmented, Skeleton, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { canEdit, useMe } from '../../auth/useAuth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useCopyReport, useDeleteReport, useFavorites, useReports } from './useReports';

export function ReportListPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const reports = useReports();
  const remove = useDeleteReport();
  const copy = useCopyReport();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [show, setShow] = useState<'all' | 'favorites'>('all');
  const editor = canEdit(me);
  // The same stars as the mini program's favorites tab; starred reports come first.
  const favorites = useFavorites();
  const starred = new Set((favorites.data ?? []).map((r) => r.id));

  const needle = q.trim().toLowerCase();
  const visible = (reports.data ?? [])
    .filter((r) => !needle || r.name.toLowerCase().includes(needle) || (r.description ?? '').toLowerCase().includes(needle))
    .filter((r) => show === 'all' || starred.has(r.id))
    .sort((a, b) => Number(starred.has(b.id)) - Number(starred.has(a.id)));

  return (
    <>
      <PageHeader
        title={t('reports.title')}
        extra={
          <Space wrap>
            <Segmented
              value={show}
              onChange={(v) => setShow(v as 'all' | 'favorites')}
              options={[
                { value: 'all', label: t('reports.all') },
                { value: 'favorites', label: t('report.favorites') },
              ]}
              data-testid="report-show"
            />
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('reports.search')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              style={{ width: 240 }}
              data-testid="report-search"
            />
            {editor ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/reports/new')} data-testid="report-new">
                {t('reports.new')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <ErrorAlert error={reports.error} style={{ marginBottom: 16 }} />
      {reports.isPending ? (
        <Skeleton active />
      ) : visible.length === 0 ? (
        <Card>
          <Empty description={needle ? t('reports.noMatch') : show === 'favorites' ? t('reports.noFavorites') : editor ? t('reports.emptyEditor') : t('reports.emptyViewer')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {visible.map((r) => (
            <Col key={r.id} xs={24} sm={12} lg={8} xxl={6}>
              <Card
                hoverable
                data-testid="report-item"
                onClick={() => void navigate(`/reports/${r.id}`)}
                actions={
                  editor
                    ? [
                        <Tooltip title={t('common.edit')} key="edit">
                          <Link to={`/reports/${r.id}/edit`} onClick={(e) => e.stopPropagation()}>
                            <EditOutlined />
                          </Link>
                        </Tooltip>,
                        <Tooltip title={t('reports.copy')} key="copy">
                          <CopyOutlined
                            data-testid="report-copy"
                            onClick={(e) => {
                              e.stopPropagation();
                              copy.mutate(
                                { reportId: r.id, name: t('reports.copyName', { name: r.name }) },
                                {
                                  onSuccess: (created) => void navigate(`/reports/${created.id}/edit`),
                                  onError: (err) => void message.error(errorMessage(err)),
                                },
                              );
                            }}
                          />
                        </Tooltip>,
                        <span key="delete" onClick={(e) => e.stopPropagation()}>
                          <Popconfirm
                            title={t('reports.deleteConfirm', { name: r.name })}
                            onConfirm={() =>
                              remove.mutate(r.id, {
                                onSuccess: () => void message.success(t('common.deleted')),
                                onError: (err) => void message.error(errorMessage(err)),
                              })
                            }
                          >
                            <DeleteOutlined />
                          </Popconfirm>
                        </span>,
                      ]
                    : undefined
                }
              >
                <Card.Meta
                  avatar={<BarChartOutlined style={{ fontSize: 28, color: '#1677ff' }} />}
                  title={
                    <Space size={6}>
                      {starred.has(r.id) ? <StarFilled style={{ color: '#e37318' }} aria-label={t('report.favorites')} data-testid="report-item-star" /> : null}
                      <span data-testid="report-item-name">{r.name}</span>
                    </Space>
                  }
                  description={
                    <>
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ minHeight: 44, marginBottom: 4 }}>
                        {r.description || t('reports.noDescription')}
                      </Typography.Paragraph>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('reports.updatedAt', { at: dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm') })}
                      </Typography.Text>
                    </>
                  }
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
