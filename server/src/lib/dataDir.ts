import fs from 'node:fs';
import path from 'node:path';

/**
 * The data dir holds the secret key, both databases and uploaded files: only the account that
 * runs Shulan may read it. Directories are 0700, files 0600.
 */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Files created from now on in this process (SQLite's -wal/-shm, DuckDB's .wal and spill files) get no group or other bits. */
export function ownerOnlyUmask(): void {
  process.umask(0o077);
}

export interface Tightened {
  /** Paths whose group/other permission bits were removed. */
  changed: string[];
  /** Paths that could not be changed (owned by another account), with the reason. */
  failed: string[];
}

/**
 * Creates the data dir owner-only, or takes group and other permissions away from an existing
 * one and everything in it (symbolic links are left alone). Idempotent and cheap: the dir holds
 * a handful of files.
 */
export function secureDataDir(dataDir: string): Tightened {
  fs.mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
  const out: Tightened = { changed: [], failed: [] };
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    const mode = st.mode & 0o777;
    if (mode & 0o077) {
      try {
        fs.chmodSync(p, mode & 0o700);
        out.changed.push(p);
      } catch (err) {
        out.failed.push(`${p}: ${(err as Error).message}`);
      }
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(dataDir);
  return out;
}
