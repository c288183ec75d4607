import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMiniprogram, BuildError } from '@shulan/miniprogram/build';
import { zipSync } from 'fflate';
import { ValidationError, msg } from '../errors.js';

/** Builds the mini program code package for this site's AppID and returns it as a zip. */
export async function buildMiniprogramZip(opts: { appid: string; domain?: string }): Promise<Buffer> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-mp-'));
  try {
    const { files } = await buildMiniprogram({ ...opts, outDir });
    const entries: Record<string, Uint8Array> = {};
    for (const rel of files) entries[rel] = fs.readFileSync(path.join(outDir, rel));
    return Buffer.from(zipSync(entries, { level: 6 }));
  } catch (err) {
    if (err instanceof BuildError) throw new ValidationError(msg(err.message, err.message));
    throw err;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
