import type { Config } from '../config.js';

/** A job lock this instance holds until `release`. */
export interface HeldJobLock {
  release(): Promise<void>;
}

/**
 * "Only one instance runs this job right now", with takeover at once when the holder dies.
 *
 * On PostgreSQL the lock is a session advisory lock on a connection of its own, held for the whole
 * run. When the holding process dies (killed, crashed, its host gone), PostgreSQL ends its session
 * and the lock is free the moment the connection drops: the next instance need not wait for a
 * lease to lapse. Holding it therefore PROVES that no live instance runs the job, and the lease row
 * (which says who runs what, for the status pages) may be taken over whatever its expiry says.
 *
 * On SQLite (one instance by definition) there is nothing to coordinate with: the lock is always
 * granted and proves nothing, so the lease row's expiry decides as before.
 */
export interface JobLocks {
  /** True when holding a lock proves no other live holder (PostgreSQL). */
  readonly proves: boolean;
  /** The lock, or null when another live instance holds it. */
  tryHold(name: string): Promise<HeldJobLock | null>;
}

const noop: HeldJobLock = { release: async () => {} };

export const localJobLocks: JobLocks = { proves: false, tryHold: async () => noop };

export class PostgresJobLocks implements JobLocks {
  readonly proves = true;
  /** Jobs this process holds or is asking for: a second caller here is answered without a round trip. */
  private readonly local = new Set<string>();

  constructor(private readonly url: string) {}

  async tryHold(name: string): Promise<HeldJobLock | null> {
    if (this.local.has(name)) return null;
    this.local.add(name);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.url, application_name: `shulan job lock ${name}` });
    // A dropped connection has already freed the lock server-side; nothing to crash over.
    client.on('error', () => {});
    try {
      await client.connect();
      const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`shulan:${name}`]);
      if (!res.rows[0]?.ok) {
        this.local.delete(name);
        await client.end();
        return null;
      }
    } catch (e) {
      this.local.delete(name);
      await client.end().catch(() => {});
      throw e;
    }
    let released = false;
    const local = this.local;
    return {
      async release() {
        if (released) return;
        released = true;
        local.delete(name);
        // Ending the session frees the lock; the explicit unlock is for a pooler that keeps it open.
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`shulan:${name}`]).catch(() => {});
        await client.end().catch(() => {});
      },
    };
  }
}

export function jobLocksFor(database: Config['database']): JobLocks {
  return database.kind === 'postgres' ? new PostgresJobLocks(database.url) : localJobLocks;
}
