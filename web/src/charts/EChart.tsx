import { useEffect, useRef } from 'react';
import { echarts, type EChartsCoreOption } from './echarts';

/** One ECharts instance per element; follows its container's size and disposes on unmount. */
export function EChart({ option, height = '100%' }: { option: EChartsCoreOption; height?: number | string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current);
    chart.current = instance;
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

  return <div ref={el} style={{ width: '100%', height, minHeight: 160 }} />;
}
