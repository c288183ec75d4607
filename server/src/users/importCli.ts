import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { importUsers } from './importUsers.js';
import { assertImportSize, readUserFile } from './userFile.js';

/**
 * `shulan user import <file> [--dry-run]`. Prints the report; initial passwords are written to a
 * file only the owner can read, never to the terminal (it may be logged or shared on screen).
 * Returns the exit code: 0 all rows fine, 1 the file was refused, 2 some rows had errors.
 */
export async function runUserImport(deps: Deps, file: string, dryRun: boolean): Promise<number> {
  try {
    const stat = fs.statSync(file);
    assertImportSize(stat.size);
    const rows = await readUserFile(fs.readFileSync(file), path.basename(file));
    const report = await importUsers(deps.db, rows, { dryRun, actorId: null, lang: 'en', source: { via: 'cli', file: path.basename(file) } });
    for (const r of report.rows) {
      if (r.status === 'error') console.log(`row ${r.row}${r.username ? ` (${r.username})` : ''}: error: ${r.message}`);
    }
    const c = report.counts;
    console.log(`${dryRun ? 'dry run, nothing written: ' : ''}created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, errors ${c.error}`);
    if (report.groupsCreated.length) console.log(`groups ${dryRun ? 'to create' : 'created'}: ${report.groupsCreated.join(', ')}`);
    if (report.initialPasswords.length) {
      const out = `${file}.passwords.csv`;
      const lines = ['username,password', ...report.initialPasswords.map((p) => `${p.username},${p.password}`)];
      fs.rmSync(out, { force: true });
      fs.writeFileSync(out, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
      fs.chmodSync(out, 0o600);
      console.log(`initial passwords of the ${report.initialPasswords.length} new users: ${path.resolve(out)}`);
    }
    return c.error > 0 ? 2 : 0;
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`error: ${e.msg.en}`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`error: no such file: ${file}`);
      return 1;
    }
    throw e;
  }
}
