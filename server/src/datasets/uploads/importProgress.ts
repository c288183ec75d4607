import type { UploadImportProgress } from '@shulan/shared';
import type { Checked } from './analyzeTable.js';

/**
 * Imports under way in this process, by upload id, so the dialog can poll how far a large file
 * has got. The row count comes from the preview's pass over the same file.
 */
const running = new Map<string, { checked: Checked; rowCount: number }>();

export function trackImport(uploadId: string, checked: Checked, rowCount: number): () => void {
  running.set(uploadId, { checked, rowCount });
  return () => running.delete(uploadId);
}

export function importProgress(uploadId: string): UploadImportProgress {
  const r = running.get(uploadId);
  if (!r) return { running: false, rowsRead: 0, rowCount: 0, percent: 0 };
  const percent = r.rowCount > 0 ? Math.min(99, Math.floor((r.checked.read / r.rowCount) * 100)) : 0;
  return { running: true, rowsRead: r.checked.read, rowCount: r.rowCount, percent };
}
