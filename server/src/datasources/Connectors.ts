import type { Db } from '../db/createDb.js';
import type { SecretBox } from '../lib/secretBox.js';

/** Open connections to data sources (embedded engine, external PostgreSQL/MySQL), by source id. */
export class Connectors {
  constructor(
    private readonly db: Db,
    private readonly secretBox: SecretBox,
    private readonly dataDir: string,
  ) {}

  async closeAll(): Promise<void> {}
}
