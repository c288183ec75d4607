import { setImmediate as nextTurn } from 'node:timers/promises';
import { ValidationError, msg } from '../errors.js';

/** Encodings we read CSV files in: UTF-8, GB18030 (a superset of GBK, Chinese Excel exports), UTF-16 with a BOM. */
export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

type Chunks = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function decodesAs(read: Chunks, encoding: TextEncoding, nulAllowed: boolean): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of read()) {
      if (!nulAllowed && chunk.includes(0)) return false;
      decoder.decode(chunk, { stream: true });
      // A 200 MB file is checked a chunk per turn of the event loop, not in one go.
      await nextTurn();
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

async function firstBytes(read: Chunks): Promise<Uint8Array> {
  for await (const chunk of read()) if (chunk.length >= 2) return chunk;
  return new Uint8Array(0);
}

/**
 * The encoding a text file is in, or null when it is no text file: it has NUL bytes (text has
 * none outside UTF-16) or byte sequences that are neither valid UTF-8 nor valid GB18030, as in
 * images, archives and other binary files renamed to .csv.
 */
export async function detectTextEncoding(read: Chunks): Promise<TextEncoding | null> {
  const head = await firstBytes(read);
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : null;
  if (utf16) return (await decodesAs(read, utf16, true)) ? utf16 : null;
  if (await decodesAs(read, 'utf-8', false)) return 'utf-8';
  if (await decodesAs(read, 'gb18030', false)) return 'gb18030';
  return null;
}

export const notTextFile = () =>
  new ValidationError(
    msg(
      '文件看起来不是 CSV 文本文件（含有二进制内容或无法识别的编码），请上传 CSV 或 XLSX 文件',
      'The file does not look like a CSV text file (it has binary content or an unknown encoding); upload a CSV or XLSX file',
    ),
  );
