import type { Migration } from 'kysely';
import * as foundation from './2026_11_25_001_foundation.js';
import * as data from './2026_11_25_002_data.js';
import * as users from './2026_11_25_003_users.js';

/** Listed by hand (not read from disk) so bundlers keep them; names sort in apply order. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_001_foundation': foundation,
  '2026_11_25_002_data': data,
  '2026_11_25_003_users': users,
};
