/** TDesign data-visualisation colours, so charts match the web app's look. */
export const PALETTE = ['#0052d9', '#2ba471', '#e37318', '#d54941', '#7e2dd9', '#0594fa', '#e851b3', '#8b5e3c'];
export const AXIS = '#c5c5c5';
export const LABEL = '#4b5563';

/** A palette colour made see-through (area fills), as rgba() since not every canvas has globalAlpha. */
export function fade(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
