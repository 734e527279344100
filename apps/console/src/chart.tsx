import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  FunnelChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  AriaComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One ECharts canvas. `data-rendered` turns true once ECharts has finished drawing (the tests and the
 * dashboard's load measure wait for it); the figure's caption is its accessible name, and ECharts' aria
 * description reads the data to a screen reader.
 */
export function Chart({
  id,
  caption,
  option,
  height = 300,
}: {
  id: string;
  caption: string;
  option: ChartOption;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current!;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.on('finished', () => el.setAttribute('data-rendered', 'true'));
    chart.setOption({ aria: { enabled: true }, animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <div ref={ref} data-chart={id} role="img" aria-label={caption} style={{ height }} />
    </figure>
  );
}
