import type { UploadImportProgress } from '@shulan/shared';
import type { TransferProgress } from '../../api/apiClient';

/** What the upload dialog says is happening: 上传中 / 分析中 / 导入中. */
export type UploadStage = 'uploading' | 'analyzing' | 'importing';

export interface UploadStatus {
  phase: UploadStage;
  /** 0–100, or null when it cannot be known (a workbook's analysis, another instance answering). */
  percent: number | null;
  /** Rows read so far and, once the preview has counted them, of how many. */
  rowsRead?: number;
  rowCount?: number;
  /** Import of every sheet: the sheet under way. */
  sheet?: { name: string; index: number; count: number };
}

const upTo99 = (part: number, whole: number) => Math.min(99, Math.floor((part / whole) * 100));

/**
 * The file being sent, then the server reading it for the preview: bytes sent until the last
 * one is out, then the server's own progress of its analysis (polled by the progress id).
 */
export function transferStatus(transfer: TransferProgress | null, server: UploadImportProgress | undefined): UploadStatus {
  if (!transfer?.done) {
    return { phase: 'uploading', percent: transfer && transfer.total > 0 ? upTo99(transfer.sent, transfer.total) : null };
  }
  return serverStatus(server, 'analyzing');
}

/**
 * A pass the server runs (analysis of another sheet, the import): its phase and percent while it
 * reports running, else `expected` with no percent (not started yet, or polled on another instance).
 */
export function serverStatus(server: UploadImportProgress | undefined, expected: UploadStage): UploadStatus {
  if (!server?.running) return { phase: expected, percent: null };
  const status: UploadStatus = { phase: server.phase ?? expected, percent: server.percent, rowsRead: server.rowsRead };
  if (server.rowCount > 0) status.rowCount = server.rowCount;
  if (server.sheet !== undefined && server.sheetIndex !== undefined && server.sheetCount !== undefined) {
    status.sheet = { name: server.sheet, index: server.sheetIndex, count: server.sheetCount };
  }
  return status;
}

/** A random id for the preview's progress: crypto.randomUUID needs https, getRandomValues does not. */
export function newProgressId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
