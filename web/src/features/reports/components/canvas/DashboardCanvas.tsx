import 'react-grid-layout/css/styles.css';
import { ReactGridLayout, useContainerWidth, type Layout } from 'react-grid-layout';
import { useMemo, useRef } from 'react';
import type { Widget } from '../../../../api/types';
import type { GridItem } from '../../reportDraft';
import type { FieldDragData } from '../fields/fieldDrag';
import { CanvasWidget } from './CanvasWidget';

/** Grid geometry shared with the report page, so a widget has the same place and size in both. */
export const GRID_ROW_HEIGHT = 80;
export const GRID_GAP = 16;

/**
 * The editor canvas: a 12-column react-grid-layout. Widgets move by their header and resize by
 * the corner handle; `onCommit` gets the layout after a drag or resize (one undo step),
 * `onSettle` the layout after the grid compacts on its own (no undo step). A dataset field dropped
 * on a widget goes to `onFieldDrop`.
 */
export function DashboardCanvas({ widgets, selectedId, onSelect, onCommit, onSettle, onFieldDrop }: {
  widgets: Widget[];
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onCommit: (items: readonly GridItem[]) => void;
  onSettle: (items: readonly GridItem[]) => void;
  onFieldDrop: (widgetId: string, data: FieldDragData) => void;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  // While a drag or resize is under way the grid reports intermediate layouts: those are not settled.
  const busy = useRef(false);
  const stop = (l: Layout) => {
    busy.current = false;
    onCommit(l);
  };
  const layout = useMemo<Layout>(() => widgets.map((w) => ({ i: w.id, ...w.layout, minW: 1, minH: 1, maxW: 12 })), [widgets]);
  return (
    <div
      ref={containerRef}
      className="dashboard-canvas"
      data-testid="dashboard-canvas"
      onMouseDown={(e) => {
        // A click on the empty canvas clears the selection (the side panel shows the report's settings).
        if (e.target === e.currentTarget || (e.target as HTMLElement).classList.contains('react-grid-layout')) onSelect(null);
      }}
    >
      {mounted ? (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: 12, rowHeight: GRID_ROW_HEIGHT, margin: [GRID_GAP, GRID_GAP], containerPadding: [0, 0] }}
          dragConfig={{ enabled: true, handle: '.canvas-drag-handle' }}
          resizeConfig={{ enabled: true, handles: ['se'] }}
          onDragStart={() => (busy.current = true)}
          onResizeStart={() => (busy.current = true)}
          onDragStop={stop}
          onResizeStop={stop}
          onLayoutChange={(l) => !busy.current && onSettle(l)}
        >
          {widgets.map((w) => (
            <div key={w.id}>
              <CanvasWidget widget={w} selected={w.id === selectedId} onSelect={() => onSelect(w.id)} onFieldDrop={(data) => onFieldDrop(w.id, data)} />
            </div>
          ))}
        </ReactGridLayout>
      ) : null}
    </div>
  );
}
