/**
 * The few canvas-2d calls the renderer uses: a subset of CanvasRenderingContext2D that both the
 * mini program's `<canvas type="2d">` context and a test recorder implement.
 */
export interface Ctx2d {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  closePath(): void;
  stroke(): void;
  fill(): void;
}

export interface Box {
  width: number;
  height: number;
}
