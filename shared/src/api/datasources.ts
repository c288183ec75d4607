import { z } from 'zod';
import type { Field } from '../types.js';

export const EMBEDDED_DATASOURCE_ID = 'embedded';
export const EXTERNAL_DATASOURCE_KINDS = ['postgres', 'mysql'] as const;
export type ExternalDatasourceKind = (typeof EXTERNAL_DATASOURCE_KINDS)[number];
export type DatasourceKind = 'embedded' | ExternalDatasourceKind;

/** Host names and IPs only: no spaces, slashes or URL syntax. */
const Host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'host may contain letters, digits, . : _ - only');

/** Connection settings of an external database, as the admin types them (password write-only). */
export const DatasourceConnectionSchema = z.strictObject({
  kind: z.enum(EXTERNAL_DATASOURCE_KINDS),
  host: Host,
  port: z.number().int().min(1).max(65535),
  database: z.string().trim().min(1).max(128),
  user: z.string().trim().min(1).max(128),
  password: z.string().max(256).optional(),
  ssl: z.boolean().default(false),
});
export type DatasourceConnection = z.infer<typeof DatasourceConnectionSchema>;

export const CreateDatasourceBodySchema = DatasourceConnectionSchema.extend({
  name: z.string().trim().min(1).max(64),
});
export type CreateDatasourceBody = z.input<typeof CreateDatasourceBodySchema>;

/** Every field optional; an omitted password keeps the stored one. */
export const UpdateDatasourceBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  host: Host.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().trim().min(1).max(128).optional(),
  user: z.string().trim().min(1).max(128).optional(),
  password: z.string().max(256).optional(),
  ssl: z.boolean().optional(),
});
export type UpdateDatasourceBody = z.infer<typeof UpdateDatasourceBodySchema>;

/** What the API shows of a data source: never the password, only whether one is set. */
export interface DatasourceView {
  id: string;
  name: string;
  kind: DatasourceKind;
  host: string | null;
  port: number | null;
  database: string | null;
  user: string | null;
  ssl: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TestConnectionResult {
  ok: boolean;
  /** Human message: what to fix when it failed. */
  message: string;
  /** Server version when it worked. */
  version?: string;
  /** What the account could do beyond reading (it should be a read-only account); empty when nothing. */
  warnings: string[];
  elapsedMs: number;
}

export interface SourceTable {
  name: string;
  /** Embedded tables: the name the user gave the upload. */
  displayName?: string;
  rowCount?: number;
}

/** The SQL editor's schema browser and completion: every table with its columns. */
export interface SourceSchema {
  tables: { name: string; displayName?: string; columns: Field[] }[];
  /** More tables than the browser lists; the rest still work in SQL. */
  truncated: boolean;
}

/** Runs a read-only query from the SQL editor and shows its first rows. */
export const RunSqlBodySchema = z.strictObject({
  sql: z.string().trim().min(1).max(100_000),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type RunSqlBody = z.input<typeof RunSqlBodySchema>;

export interface RunSqlResult {
  fields: Field[];
  rows: Record<string, unknown>[];
  /** More rows exist than `limit`. */
  truncated: boolean;
}
