import ReactEChartsCore from 'echarts-for-react/lib/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '@quan/web-core';
import type { MonitoredRound } from './monitor-types';

// Only the parts this chart draws, so the console's ECharts chunk stays small.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Claims and refusals per second over the series the api sends (its last complete seconds). */
export function ClaimsChart({ round }: { round: MonitoredRound }) {
  const { t, i18n } = useTranslation('monitor');
  const { from, claims, refusals } = round.perSecond;
  const option = useMemo(() => {
    const start = Date.parse(from);
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('seriesClaims'), t('seriesRefusals')] },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: {
        type: 'category',
        data: claims.map((_, i) => formatTime(start + i * 1000, i18n.language)),
        boundaryGap: false,
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('seriesClaims'), type: 'line', showSymbol: false, data: claims, color: '#1d4ed8' },
        { name: t('seriesRefusals'), type: 'line', showSymbol: false, data: refusals, color: '#b45309' },
      ],
    };
  }, [from, claims, refusals, t, i18n.language]);
  const recent = (values: number[]) => values.slice(-10).reduce((sum, n) => sum + n, 0);
  return (
    <div role="img" aria-label={t('chartSummary', { claims: recent(claims), refusals: recent(refusals) })}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280 }} />
    </div>
  );
}
