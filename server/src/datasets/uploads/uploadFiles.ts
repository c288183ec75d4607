import { randomBytes } from 'node:crypto';
import type { Field } from '@shulan/shared';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, msg } from '../../errors.js';
import type { UploadKind } from './uploadSource.js';

/** What we remember about an uploaded file until it is imported. */
export interface UploadMeta {
  fileName: string;
  kind: UploadKind;
  /** Columns and inferred types found by the preview; the import uses them (or the user's edits). */
  fields: Field[];
  /** Data rows the preview counted (progress of the import is measured against it). */
  rowCount?: number;
  /** Excel: the worksheets, and the one previewed and imported. */
  sheets?: string[];
  sheet?: string;
  uploadedBy: string | null;
  uploadedAt: string;
}

export const newUploadId = (): string => randomBytes(16).toString('base64url');

export const uploadDir = (dataDir: string) => path.join(dataDir, 'uploads');
/** Upload ids are checked against /^[A-Za-z0-9_-]+$/ by the route, so they cannot leave the folder. */
export const uploadPath = (dataDir: string, id: string) => path.join(uploadDir(dataDir), id);
const metaPath = (dataDir: string, id: string) => path.join(uploadDir(dataDir), `${id}.json`);

export async function writeUploadMeta(dataDir: string, id: string, meta: UploadMeta): Promise<void> {
  await fs.writeFile(metaPath(dataDir, id), JSON.stringify(meta), { mode: 0o600 });
}

export async function readUploadMeta(dataDir: string, id: string): Promise<UploadMeta> {
  try {
    return JSON.parse(await fs.readFile(metaPath(dataDir, id), 'utf8')) as UploadMeta;
  } catch {
    throw new NotFoundError(msg('上传的文件（可能已导入或已过期）', 'Upload (it may have been imported already)'));
  }
}

export async function removeUpload(dataDir: string, id: string): Promise<void> {
  await fs.rm(uploadPath(dataDir, id), { force: true });
  await fs.rm(metaPath(dataDir, id), { force: true });
}

/** Uploads previewed but never imported are removed after a day. */
export const UPLOAD_MAX_AGE_MS = 24 * 3600 * 1000;

export async function sweepOldUploads(dataDir: string, now = Date.now()): Promise<void> {
  const dir = uploadDir(dataDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const st = await fs.stat(file).catch(() => null);
    if (st && now - st.mtimeMs > UPLOAD_MAX_AGE_MS) await fs.rm(file, { force: true });
  }
}
