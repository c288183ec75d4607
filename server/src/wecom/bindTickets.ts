import { hashToken } from '../auth/SessionService.js';
import type { Db } from '../db/createDb.js';
import { UnauthorizedError, msg } from '../errors.js';
import { newToken, nowIso } from '../lib/ids.js';

export const BIND_TICKET_TTL_MS = 10 * 60_000;

export interface BindTicket {
  ticket: string;
  expiresAt: string;
}

/**
 * A bind ticket proves "WeCom said this is member X of corp Y" for 10 minutes, so the mini
 * program can then send a password. Random, stored only as a hash, usable once.
 */
export async function issueBindTicket(db: Db, corpid: string, userid: string): Promise<BindTicket> {
  const ticket = newToken();
  const now = Date.now();
  const expiresAt = new Date(now + BIND_TICKET_TTL_MS).toISOString();
  // Old tickets are useless; sweeping them here keeps the table small without a job.
  await db.deleteFrom('wecom_bind_tickets').where('expires_at', '<', new Date(now - 86_400_000).toISOString()).execute();
  await db.insertInto('wecom_bind_tickets').values({ ticket_hash: hashToken(ticket), corpid, userid, expires_at: expiresAt, used_at: null }).execute();
  return { ticket, expiresAt };
}

const invalidTicket = () =>
  new UnauthorizedError(
    msg('绑定凭证无效、已使用或已过期（10 分钟内有效）：请重新打开小程序', 'The bind ticket is invalid, used or expired (it lasts 10 minutes): reopen the mini program'),
  );

/** The member of a valid, unused ticket; throws 401 otherwise. Does not use it up. */
export async function readBindTicket(db: Db, ticket: string): Promise<{ corpid: string; userid: string }> {
  const row = await db.selectFrom('wecom_bind_tickets').selectAll().where('ticket_hash', '=', hashToken(ticket)).executeTakeFirst();
  if (!row || row.used_at !== null || Date.parse(row.expires_at) <= Date.now()) throw invalidTicket();
  return { corpid: row.corpid, userid: row.userid };
}

/** Marks the ticket used; the conditional update makes two concurrent binds with one ticket fail one. */
export async function useBindTicket(db: Db, ticket: string): Promise<void> {
  const res = await db
    .updateTable('wecom_bind_tickets')
    .set({ used_at: nowIso() })
    .where('ticket_hash', '=', hashToken(ticket))
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw invalidTicket();
}
