/** What the spreadsheet worker and the thread that starts it say to each other. */

/** One cell as read: text, number, yes/no, or a date (wall time in UTC). */
export type SheetCell = string | number | boolean | Date | null;

/** One non-empty row; `line` is its number as the spreadsheet shows it. Trailing empty cells are cut. */
export interface SheetRow {
  cells: SheetCell[];
  line: number;
}

/** Bounds on what one file may make the worker do; each gives the uploader a clear refusal. */
export interface XlsxLimits {
  /** Sum of all parts of the zip after decompression, as declared and as actually inflated. */
  maxUncompressedBytes: number;
  /** Rows after the first (header) row. */
  maxDataRows: number;
  /** Columns up to the last non-empty cell of any row. */
  maxColumns: number;
  /** Non-empty cells in the sheet. */
  maxCells: number;
}

export type XlsxInput = { file: string } | { bytes: Uint8Array };

export interface WorkerInput {
  input: XlsxInput;
  limits: XlsxLimits;
  /** The worksheet to read, by name; the first tab when absent. */
  sheet?: string;
}

export type FailReason = 'unreadable' | 'no_sheet' | 'sheet_not_found' | 'uncompressed' | 'rows' | 'columns' | 'cells';

export type WorkerMessage =
  /** The workbook's worksheet names in tab order, sent before any rows. */
  | { type: 'sheets'; names: string[] }
  | { type: 'rows'; rows: SheetRow[] }
  | { type: 'end' }
  | { type: 'fail'; reason: FailReason };

/** The parent sends this when it has taken a batch, so the worker never runs far ahead of it. */
export const MORE = 'more';
