import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

// What a person does with a dashboard in the browser, shared by the editor and viewer journeys:
// sign in, move and resize widgets on the editor canvas, click a bar, pick a relative date.

export async function login(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** One grid column and one grid row of the editor canvas, in pixels (gap included). */
async function gridPitch(page: Page): Promise<{ column: number; row: number }> {
  const canvas = (await page.getByTestId('dashboard-canvas').locator('.react-grid-layout').boundingBox())!;
  // 12 columns with a 16 px gap between them; rows are 80 px plus the gap (DashboardCanvas).
  return { column: (canvas.width + 16) / 12, row: 80 + 16 };
}

/** Presses at (x, y) and moves by (dx, dy) in small real mouse moves, as a hand does, then lets go. */
async function dragFrom(page: Page, x: number, y: number, dx: number, dy: number): Promise<void> {
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x + (dx * i) / 8, y + (dy * i) / 8, { steps: 2 });
  await page.mouse.up();
}

/** Drags a canvas widget's bottom-right handle by `columns` grid columns. */
export async function resizeBy(page: Page, widget: Locator, columns: number): Promise<void> {
  const { column } = await gridPitch(page);
  const handle = (await widget.locator('xpath=..').locator('.react-resizable-handle-se').boundingBox())!;
  await dragFrom(page, handle.x + handle.width / 2, handle.y + handle.height / 2, columns * column, 0);
}

/** Drags a canvas widget by its header (the drag handle) by whole grid columns and rows. */
export async function moveBy(page: Page, widget: Locator, columns: number, rows: number): Promise<void> {
  const { column, row } = await gridPitch(page);
  const head = (await widget.locator('.canvas-drag-handle').boundingBox())!;
  await dragFrom(page, head.x + 24, head.y + head.height / 2, columns * column, rows * row);
}

/**
 * Clicks the tallest bar of a bar chart (the widget's card on the report page), found where a
 * person would see it: the pixels of the bar colour on the canvas. Waits for `count` bars first,
 * so the chart has redrawn.
 */
export async function clickTallestBar(page: Page, widget: Locator, count: number): Promise<void> {
  await page.mouse.move(0, 0); // no hovered (highlighted) bar
  const canvas = widget.locator('canvas').first();
  const find = () =>
    canvas.evaluate((el: HTMLCanvasElement) => {
      const ctx = el.getContext('2d')!;
      const { width, height } = el;
      const px = ctx.getImageData(0, 0, width, height).data;
      // ECharts 6's first series colour, #5070dd.
      const isBar = (i: number) => Math.abs(px[i]! - 80) < 8 && Math.abs(px[i + 1]! - 112) < 8 && Math.abs(px[i + 2]! - 221) < 8;
      const bars: { x0: number; x1: number; top: number; bottom: number }[] = [];
      let open: (typeof bars)[number] | null = null;
      for (let x = 0; x < width; x++) {
        let top = -1;
        let bottom = -1;
        for (let y = 0; y < height; y++) {
          if (isBar((y * width + x) * 4)) {
            if (top < 0) top = y;
            bottom = y;
          }
        }
        if (top >= 0 && bottom - top > 2) {
          if (open && open.x1 === x - 1) Object.assign(open, { x1: x, top: Math.min(open.top, top), bottom: Math.max(open.bottom, bottom) });
          else bars.push((open = { x0: x, x1: x, top, bottom }));
        }
      }
      const scale = el.clientWidth / width;
      return bars.map((b) => ({ x: ((b.x0 + b.x1) / 2) * scale, y: ((b.top + b.bottom) / 2) * scale, h: (b.bottom - b.top) * scale }));
    });
  let bars: Awaited<ReturnType<typeof find>> = [];
  let last = '';
  // Settled: the right number of bars, the same heights twice (the grow animation is over).
  await expect
    .poll(async () => {
      bars = await find();
      const now = JSON.stringify(bars);
      const settled = bars.length === count && now === last;
      last = now;
      return settled;
    }, { timeout: 10_000, interval: 300 })
    .toBe(true);
  const tallest = bars.reduce((a, b) => (b.h > a.h ? b : a));
  await canvas.click({ position: { x: tallest.x, y: tallest.y } });
}

/** Picks a relative date (本月, 近 7 天…) in the report's date filter. */
export async function pickPreset(page: Page, label: string): Promise<void> {
  const select = page.locator('[data-testid^="filter-preset-"]').first();
  await select.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).click();
  // The pick took: the filter shows it (so a figure that does not follow fails as a figure, not here).
  await expect.poll(() => select.textContent()).toContain(label);
}
