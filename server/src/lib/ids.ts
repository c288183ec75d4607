import { randomBytes, randomUUID } from 'node:crypto';

/** Ids are generated in the app so SQLite and PostgreSQL behave the same. */
export const newId = (): string => randomUUID();

/** An unguessable token (256 bits), URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const nowIso = (): string => new Date().toISOString();
