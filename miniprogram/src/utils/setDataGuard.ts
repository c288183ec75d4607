/**
 * WeChat refuses a setData whose JSON exceeds 1 MB and slows down well before; we keep every call
 * under a quarter of that. Patches are measured as UTF-8 JSON (a Chinese character is 3 bytes)
 * and split by path: big arrays go out as a first slice (which replaces the old array) followed
 * by `path[i]` writes; big objects as `path.key` writes.
 */
export const SETDATA_MAX_BYTES = 256 * 1024;
/** A single string longer than this is cut: no phone screen shows that much of one cell. */
const STRING_MAX_BYTES = 64 * 1024;

type Patch = Record<string, unknown>;
export interface DataTarget {
  setData(patch: Patch, cb?: () => void): void;
}

/** Bytes of `v` as UTF-8 JSON, as the WeChat bridge serializes it. */
export function jsonBytes(v: unknown): number {
  const s = JSON.stringify(v) ?? '';
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // surrogate pair: one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

/** Splits one path/value into entries that each fit `limit` (the key counts too). */
function explode(path: string, value: unknown, limit: number): [string, unknown][] {
  if (jsonBytes({ [path]: value }) <= limit) return [[path, value]];
  if (Array.isArray(value)) {
    // Largest leading slice that fits replaces the array; the rest are appended by index.
    let head = 0;
    let size = jsonBytes({ [path]: [] });
    while (head < value.length) {
      const next = jsonBytes(value[head]) + (head > 0 ? 1 : 0);
      if (size + next > limit) break;
      size += next;
      head++;
    }
    const out: [string, unknown][] = [[path, value.slice(0, head)]];
    for (let i = head; i < value.length; i++) out.push(...explode(`${path}[${i}]`, value[i], limit));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: [string, unknown][] = [[path, {}]];
    for (const [k, v] of Object.entries(value)) out.push(...explode(`${path}.${k}`, v, limit));
    return out;
  }
  if (typeof value === 'string') return [[path, trimString(value, Math.min(limit - jsonBytes(path) - 16, STRING_MAX_BYTES))]];
  return [[path, value]];
}

function trimString(s: string, maxBytes: number): string {
  let out = s;
  while (jsonBytes(out) > maxBytes) out = out.slice(0, Math.floor(out.length * 0.9));
  return `${out}…`;
}

/** The patch as a list of patches, each at most `limit` bytes, to be applied in order. */
export function splitPatch(patch: Patch, limit = SETDATA_MAX_BYTES): Patch[] {
  const entries = Object.entries(patch).flatMap(([k, v]) => explode(k, v, limit));
  const out: Patch[] = [];
  let cur: Patch = {};
  let size = 2;
  for (const [k, v] of entries) {
    const bytes = jsonBytes(k) + jsonBytes(v) + 2;
    if (size + bytes > limit && Object.keys(cur).length > 0) {
      out.push(cur);
      cur = {};
      size = 2;
    }
    cur[k] = v;
    size += bytes;
  }
  if (Object.keys(cur).length > 0) out.push(cur);
  return out;
}

/** setData through the guard; returns how many calls it took (0 for an empty patch). */
export function safeSetData(target: DataTarget, patch: Patch, limit = SETDATA_MAX_BYTES): number {
  const parts = splitPatch(patch, limit);
  for (const p of parts) target.setData(p);
  return parts.length;
}
