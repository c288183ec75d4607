import type { DatasourceView } from '@shulan/shared';
import { z } from 'zod';
import type { Db } from '../db/createDb.js';
import type { DatasourcesTable } from '../db/schema.js';
import { NotFoundError, msg } from '../errors.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { ExternalConfig } from './ExternalConfig.js';

/** What `datasources.config_json` holds for external sources (never the password). */
export const StoredConfigSchema = z.object({
  host: z.string(),
  port: z.number(),
  database: z.string(),
  user: z.string(),
  ssl: z.boolean().default(false),
});
export type StoredConfig = z.infer<typeof StoredConfigSchema>;

export const DATASOURCE = msg('数据源', 'Data source');

export async function getDatasourceRow(db: Db, id: string): Promise<DatasourcesTable> {
  const row = await db.selectFrom('datasources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(DATASOURCE);
  return row;
}

export function storedConfig(row: DatasourcesTable): StoredConfig | null {
  if (row.kind === 'embedded') return null;
  return StoredConfigSchema.parse(JSON.parse(row.config_json));
}

/** Settings plus decrypted password of an external source. */
export async function loadExternalConfig(db: Db, box: SecretBox, id: string): Promise<ExternalConfig> {
  const row = await getDatasourceRow(db, id);
  const cfg = storedConfig(row);
  if (!cfg || row.kind === 'embedded') throw new NotFoundError(DATASOURCE);
  return { kind: row.kind, ...cfg, password: row.secret_enc ? box.decrypt(row.secret_enc) : '' };
}

export function toDatasourceView(row: DatasourcesTable): DatasourceView {
  const cfg = storedConfig(row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    host: cfg?.host ?? null,
    port: cfg?.port ?? null,
    database: cfg?.database ?? null,
    user: cfg?.user ?? null,
    ssl: cfg?.ssl ?? false,
    hasPassword: row.secret_enc !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
