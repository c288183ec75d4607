import type { Migration } from 'kysely';
import * as foundation from './2026_11_25_001_foundation.js';

/** Listed by hand (not read from disk) so bundlers keep them; names sort in apply order. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_001_foundation': foundation,
};
