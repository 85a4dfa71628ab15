import { Alert, App, Button, Card, DatePicker, Segmented, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiProblem, ok, type components } from '@quan/web-api';
import { formatFen, problemMessage } from '@quan/web-core';
import { leverageText } from '../../figures';
import { api } from '../../runtime';

type Dimension = components['schemas']['LeverageDimension'];
type Format = components['schemas']['ReportExportFormat'];
type Row = components['schemas']['LeverageRowDto'];

const DIMENSIONS: Dimension[] = ['day', 'county', 'category', 'merchant'];
const DAY = 'YYYY-MM-DD';
/** Rows of one report at most (the api's own ceiling): a city has far fewer counties, categories or top merchants. */
const LIMIT = 200;

/** Saves an answer's file under the name its Content-Disposition gives. */
function saveFile(blob: Blob, response: Response, fallback: string): void {
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The leverage report by day, county, category or merchant over business days, with its CSV and XLSX exports. */
export function Component() {
  const { t } = useTranslation('reports');
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const by = (DIMENSIONS.find((value) => value === params.get('by')) ?? 'day') as Dimension;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const [downloading, setDownloading] = useState<Format>();
  const query = { by, from, to, limit: by === 'day' ? undefined : LIMIT };
  const report = useQuery({
    queryKey: ['reports', 'leverage', query],
    queryFn: () => ok(api.GET('/api/v1/reports/leverage', { params: { query } })),
  });
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };
  async function download(format: Format) {
    setDownloading(format);
    try {
      const { data, response } = await api.GET('/api/v1/reports/leverage/export', {
        params: { query: { ...query, format } },
        parseAs: 'blob',
      });
      saveFile(data as Blob, response, `leverage-${by}.${format}`);
    } catch (error) {
      void message.error(problemMessage(ApiProblem.from(error), t));
    } finally {
      setDownloading(undefined);
    }
  }
  const data = report.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('hint')}</Typography.Text>
      <Card size="small">
        <Space wrap size="large">
          <Segmented<Dimension>
            aria-label={t('by.label')}
            value={by}
            onChange={(value) => set({ by: value })}
            options={DIMENSIONS.map((value) => ({ value, label: t(`by.${value}`) }))}
          />
          <DatePicker.RangePicker
            aria-label={t('range')}
            allowClear={false}
            value={data ? [dayjs(data.from), dayjs(data.to)] : undefined}
            onChange={(range) => set({ from: range?.[0]?.format(DAY), to: range?.[1]?.format(DAY) })}
          />
          <Button icon={<DownloadOutlined />} loading={downloading === 'csv'} onClick={() => void download('csv')}>
            {t('csv')}
          </Button>
          <Button icon={<DownloadOutlined />} loading={downloading === 'xlsx'} onClick={() => void download('xlsx')}>
            {t('xlsx')}
          </Button>
        </Space>
      </Card>
      {report.error && <Alert type="error" showIcon title={problemMessage(ApiProblem.from(report.error), t)} />}
      <Table<Row>
        rowKey="key"
        size="small"
        loading={report.isPending}
        dataSource={data?.rows}
        pagination={false}
        locale={{ emptyText: t('empty') }}
        columns={[
          { title: t(`columns.${by}`), dataIndex: 'label' },
          { title: t('columns.redemptions'), dataIndex: 'redemptions', align: 'right' },
          { title: t('columns.orderTotal'), align: 'right', render: (_, row) => formatFen(row.orderTotalFen) },
          { title: t('columns.discount'), align: 'right', render: (_, row) => formatFen(row.discountFen) },
          { title: t('columns.subsidy'), align: 'right', render: (_, row) => formatFen(row.subsidyFen) },
          { title: t('columns.leverage'), align: 'right', render: (_, row) => leverageText(row.leverage) },
        ]}
        summary={() =>
          data && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <strong>{t('total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {data.total.redemptions}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {formatFen(data.total.orderTotalFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {formatFen(data.total.discountFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {formatFen(data.total.subsidyFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <span data-testid="leverage-total">{leverageText(data.total.leverage)}</span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </Space>
  );
}
