import path from 'node:path';
import { EMBEDDED_DATASOURCE_ID } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { DuckDbStore } from './DuckDbStore.js';
import { loadExternalConfig } from './datasourceRepo.js';
import type { ExternalConfig } from './ExternalConfig.js';
import { registeredEmbeddedTables } from './registeredTables.js';
import { sharedTableFiles } from '../cluster/sharedTableFiles.js';
import type { SourceConnector } from './SourceConnector.js';
import type { EmbeddedStore } from './types.js';

/** Open connections to data sources (embedded engine, external PostgreSQL/MySQL), by source id. */
export class Connectors {
  private embeddedStore: Promise<DuckDbStore> | null = null;
  /** One pool per external source, created on first use, dropped by invalidate(). */
  private readonly external = new Map<string, Promise<SourceConnector>>();

  constructor(
    private readonly db: Db,
    private readonly secretBox: SecretBox,
    private readonly dataDir: string,
    private readonly log: (line: string) => void = () => {},
    /** SHULAN_SHARED_DIR: uploads shared with the other instances as Parquet files. */
    private readonly sharedDir: string | null = null,
  ) {}

  /** The DuckDB file `<dataDir>/analytics.duckdb`, opened on first use. */
  embedded(): Promise<EmbeddedStore & SourceConnector> {
    if (!this.embeddedStore) {
      // DuckDB (~30 MB resident) loads with the first report or upload, not at start.
      const opening = import('./DuckDbStore.js').then(({ DuckDbStore }) =>
        DuckDbStore.open(path.join(this.dataDir, 'analytics.duckdb'), {
          registeredTables: () => registeredEmbeddedTables(this.db),
          log: this.log,
          shared: this.sharedDir ? sharedTableFiles(this.db, this.sharedDir) : null,
        }),
      );
      this.embeddedStore = opening;
      opening.catch(() => {
        if (this.embeddedStore === opening) this.embeddedStore = null;
      });
    }
    return this.embeddedStore;
  }

  /** Connector for a source id; throws NotFoundError for an unknown id. */
  forSource(datasourceId: string): Promise<SourceConnector> {
    if (datasourceId === EMBEDDED_DATASOURCE_ID) return this.embedded();
    const cached = this.external.get(datasourceId);
    if (cached) return cached;
    const c = loadExternalConfig(this.db, this.secretBox, datasourceId).then(openExternal);
    this.external.set(datasourceId, c);
    // A failed lookup (unknown id) must not stay cached.
    c.catch(() => {
      if (this.external.get(datasourceId) === c) this.external.delete(datasourceId);
    });
    return c;
  }

  /** Closes the pool of an edited or deleted source; the next use reads its new settings. */
  async invalidate(datasourceId: string): Promise<void> {
    const c = this.external.get(datasourceId);
    if (!c) return;
    this.external.delete(datasourceId);
    await c.then((conn) => conn.close()).catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.external.keys()];
    await Promise.all(all.map((id) => this.invalidate(id)));
    if (this.embeddedStore) {
      const store = this.embeddedStore;
      this.embeddedStore = null;
      await store.then((s) => s.close()).catch(() => {});
    }
  }
}

/** The PostgreSQL and MySQL drivers load with the first external source used, not at start. */
export async function openExternal(config: ExternalConfig): Promise<SourceConnector> {
  if (config.kind === 'postgres') return new (await import('./PostgresConnector.js')).PostgresConnector(config);
  return new (await import('./MysqlConnector.js')).MysqlConnector(config);
}
