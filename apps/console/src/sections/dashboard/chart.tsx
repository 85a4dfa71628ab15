import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart, GaugeChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the charts and parts the console draws, so the chunk carries no more of ECharts than that.
echarts.use([
  BarChart,
  GaugeChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The console's dark blue first: the series colours, each at least 3:1 against white. */
export const CHART_COLOURS = ['#0b5cab', '#c0152a', '#1e6b2e', '#8a4b00', '#5b2a86'];

/**
 * One ECharts chart on a canvas, described for screen readers by ECharts' aria description (and the
 * `label`): a canvas alone says nothing to them.
 */
export function Chart({
  option,
  label,
  height = 280,
  testId,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
  testId?: string;
}) {
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ color: CHART_COLOURS, aria: { enabled: true }, animation: false, ...option }}
        style={{ height }}
        notMerge
      />
    </div>
  );
}
