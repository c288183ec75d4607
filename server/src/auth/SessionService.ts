import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SessionUser } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import { Precompiled, isPostgres } from '../db/precompiled.js';
import type { AuditLogTable, SessionsTable } from '../db/schema.js';
import { newToken, nowIso } from '../lib/ids.js';

const DAY = 86_400_000;
const LIFETIME = { web: 7 * DAY, api: 30 * DAY } as const;
// Sliding expiry is written at most this often, so reads don't turn into writes.
const TOUCH_EVERY = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface OpenedSession {
  token: string;
  expiresAt: string;
}

/**
 * Sessions just ended: one (logout), all of a user's (optionally only those opened one way), or
 * everyone's opened one way (the WeCom integration switched off).
 */
export type EndedSessions = { tokenHash: string } | { userId: string; via?: 'password' | 'wecom' } | { everyone: true; via: 'password' | 'wecom' };

const insertSession = new Precompiled<SessionsTable, never>((db, p) =>
  db.insertInto('sessions').values({
    token_hash: p.token_hash,
    user_id: p.user_id,
    via: p.via,
    client: p.client,
    created_at: p.created_at,
    expires_at: p.expires_at,
    last_seen_at: p.last_seen_at,
  }),
);
const insertAudit = new Precompiled<AuditLogTable, never>((db, p) =>
  db.insertInto('audit_log').values({
    id: p.id,
    at: p.at,
    actor_id: p.actor_id,
    action: p.action,
    target: p.target,
    target_name: p.target_name,
    detail_json: p.detail_json,
  }),
);
// PostgreSQL: the session and its audit line in ONE statement (one round trip, one commit).
const insertSessionAndAudit = new Precompiled<{ [K in keyof SessionsTable as `s_${K}`]: SessionsTable[K] } & { [K in keyof AuditLogTable as `a_${K}`]: AuditLogTable[K] }, never>(
  (db, p) =>
    db
      .with('s', (q) =>
        q.insertInto('sessions').values({
          token_hash: p.s_token_hash,
          user_id: p.s_user_id,
          via: p.s_via,
          client: p.s_client,
          created_at: p.s_created_at,
          expires_at: p.s_expires_at,
          last_seen_at: p.s_last_seen_at,
        }),
      )
      .insertInto('audit_log')
      .values({
        id: p.a_id,
        at: p.a_at,
        actor_id: p.a_actor_id,
        action: p.a_action,
        target: p.a_target,
        target_name: p.a_target_name,
        detail_json: p.a_detail_json,
      }),
);

interface PendingWrite {
  session: SessionsTable;
  auditLine: AuditLogTable;
  /** null: written. */
  done: (err: unknown) => void;
}

/**
 * SQLite, one writer: the sessions opened in the same turn of the event loop (a login burst) are
 * committed in ONE transaction, so a burst pays one WAL commit per batch instead of one per login.
 * Each login still answers only after its own rows are committed. Should a batch fail, its logins
 * are written one by one, so one bad row fails only its own login.
 */
class GroupCommit {
  private queue: PendingWrite[] = [];

  constructor(private readonly db: Db) {}

  add(session: SessionsTable, auditLine: AuditLogTable): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ session, auditLine, done: (err) => (err === null ? resolve() : reject(err)) });
      if (this.queue.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      await this.write(batch);
      for (const w of batch) w.done(null);
    } catch (err) {
      if (batch.length === 1) return batch[0]!.done(err ?? new Error('session write failed'));
      for (const w of batch) await this.write([w]).then(() => w.done(null), (e: unknown) => w.done(e ?? err));
    }
  }

  private write(batch: PendingWrite[]): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      for (const w of batch) {
        await insertSession.execute(trx, w.session);
        await insertAudit.execute(trx, w.auditLine);
      }
    });
  }
}

/** Server-side sessions: only the token's hash is stored; a disabled user has none that work. */
export class SessionService {
  private readonly ended = new EventEmitter<{ ended: [EndedSessions] }>();

  private readonly sqliteWrites: GroupCommit;

  constructor(private readonly db: Db) {
    this.sqliteWrites = new GroupCommit(db);
    // One listener per open WebSocket.
    this.ended.setMaxListeners(0);
  }

  /**
   * Hears of sessions ended in this process, so their open sockets close at once (sockets on other
   * instances notice at their next check). Returns the unsubscribe function.
   */
  onEnded(listener: (e: EndedSessions) => void): () => void {
    this.ended.on('ended', listener);
    return () => this.ended.off('ended', listener);
  }

  /** Opens a session and returns the token (shown to the client once). */
  async open(userId: string, via: 'password' | 'wecom', client: 'web' | 'api'): Promise<OpenedSession> {
    const token = newToken();
    const now = Date.now();
    const expiresAt = new Date(now + LIFETIME[client]).toISOString();
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        via,
        client,
        created_at: new Date(now).toISOString(),
        expires_at: expiresAt,
        last_seen_at: new Date(now).toISOString(),
      })
      .execute();
    return { token, expiresAt };
  }

  /**
   * Opens a session and writes its audit line as one write: one statement on PostgreSQL, one
   * transaction on SQLite shared with the logins of the same moment (the login burst; queries
   * compiled once).
   */
  async openAudited(userId: string, via: 'password' | 'wecom', client: 'web' | 'api', auditLine: AuditLogTable): Promise<OpenedSession> {
    const token = newToken();
    const now = Date.now();
    const expiresAt = new Date(now + LIFETIME[client]).toISOString();
    const createdAt = new Date(now).toISOString();
    const session: SessionsTable = { token_hash: hashToken(token), user_id: userId, via, client, created_at: createdAt, expires_at: expiresAt, last_seen_at: createdAt };
    if (isPostgres(this.db)) {
      const values = {} as Record<string, unknown>;
      for (const [k, v] of Object.entries(session)) values[`s_${k}`] = v;
      for (const [k, v] of Object.entries(auditLine)) values[`a_${k}`] = v;
      await insertSessionAndAudit.execute(this.db, values as Parameters<typeof insertSessionAndAudit.execute>[1]);
    } else {
      await this.sqliteWrites.add(session, auditLine);
    }
    return { token, expiresAt };
  }

  /**
   * The active user behind a token, or null when unknown, expired or the user is disabled.
   * `touch: false` checks without extending the session (an open socket is not user activity).
   */
  async authenticate(token: string, { touch = true } = {}): Promise<(SessionUser & { via: 'password' | 'wecom' }) | null> {
    const tokenHash = hashToken(token);
    const now = Date.now();
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.id',
        'users.username',
        'users.display_name',
        'users.role',
        'users.status',
        'sessions.via',
        'sessions.client',
        'sessions.expires_at',
        'sessions.last_seen_at',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || row.status !== 'active' || Date.parse(row.expires_at) <= now) return null;
    if (touch && now - Date.parse(row.last_seen_at) > TOUCH_EVERY) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(now).toISOString(), expires_at: new Date(now + LIFETIME[row.client]).toISOString() })
        .where('token_hash', '=', tokenHash)
        .execute();
    }
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      status: row.status,
      via: row.via,
    };
  }

  async close(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    this.ended.emit('ended', { tokenHash });
  }

  /** Ends every session of a user ("log out everywhere", disable, password reset). */
  async closeAllForUser(userId: string, via?: 'password' | 'wecom'): Promise<number> {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (via) q = q.where('via', '=', via);
    const res = await q.executeTakeFirst();
    this.ended.emit('ended', via ? { userId, via } : { userId });
    return Number(res.numDeletedRows);
  }

  /**
   * Ends every WeCom session of every user (the integration switched off or moved to another
   * corp): passwordless access came from WeCom, so it ends with it; password sessions stay.
   */
  async endAllWecomSessions(): Promise<number> {
    const res = await this.db.deleteFrom('sessions').where('via', '=', 'wecom').executeTakeFirst();
    this.ended.emit('ended', { everyone: true, via: 'wecom' });
    return Number(res.numDeletedRows);
  }

  /** Ends the passwordless (WeCom) sessions of a user, e.g. the member was disabled in WeCom; password sessions stay. */
  endWecomSessions(userId: string): Promise<number> {
    return this.closeAllForUser(userId, 'wecom');
  }

  async purgeExpired(): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', nowIso()).execute();
  }
}
