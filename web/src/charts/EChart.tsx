import { useEffect, useRef } from 'react';
import { echarts, type EChartsCoreOption } from './echarts';

/** What a click on a chart element tells: the element's position in its series' data. */
export interface ChartEvent {
  dataIndex: number;
  seriesIndex: number;
  event?: { event?: MouseEvent };
}

export interface ChartEvents {
  click?: (e: ChartEvent) => void;
  contextmenu?: (e: ChartEvent) => void;
}

/** One ECharts instance per element; follows its container's size and disposes on unmount. */
export function EChart({ option, height = '100%', onEvents }: { option: EChartsCoreOption; height?: number | string; onEvents?: ChartEvents }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  // The latest handlers, read at event time, so re-renders need not re-bind them.
  const events = useRef(onEvents);
  events.current = onEvents;

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current);
    chart.current = instance;
    instance.on('click', (p) => events.current?.click?.(p as unknown as ChartEvent));
    instance.on('contextmenu', (p) => events.current?.contextmenu?.(p as unknown as ChartEvent));
    // The grid cell, not the window, decides the size: sidebar collapse and editor panes resize it too.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} style={{ width: '100%', height, minHeight: 160, cursor: onEvents?.click ? 'pointer' : undefined }} />;
}
