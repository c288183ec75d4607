import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/createDb.js';
import type { SharedTableFiles } from '../datasources/DuckDbStore.js';
import { nowIso } from '../lib/ids.js';

/** An instance may still be loading a replaced version for a moment; its file goes after this. */
const KEEP_REPLACED_MS = 10 * 60_000;

/** The shared Parquet file of each uploaded table's current version, named in `embedded_table_files`. */
export function sharedTableFiles(db: Db, dir: string): SharedTableFiles {
  const removeLater = (file: string | undefined) => {
    if (!file) return;
    setTimeout(() => fs.rm(path.join(dir, file), { force: true }, () => {}), KEEP_REPLACED_MS).unref();
  };
  return {
    dir,
    async current() {
      const rows = await db.selectFrom('embedded_table_files').select(['table_name', 'file']).execute();
      return new Map(rows.map((r) => [r.table_name, r.file]));
    },
    async publish(table, file) {
      const before = await db.selectFrom('embedded_table_files').select('file').where('table_name', '=', table).executeTakeFirst();
      await db
        .insertInto('embedded_table_files')
        .values({ table_name: table, file, updated_at: nowIso() })
        .onConflict((oc) => oc.column('table_name').doUpdateSet({ file, updated_at: nowIso() }))
        .execute();
      if (before?.file !== file) removeLater(before?.file);
    },
    async remove(table) {
      const before = await db.selectFrom('embedded_table_files').select('file').where('table_name', '=', table).executeTakeFirst();
      await db.deleteFrom('embedded_table_files').where('table_name', '=', table).execute();
      removeLater(before?.file);
    },
  };
}
