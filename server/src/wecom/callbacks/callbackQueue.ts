import { createHash, randomBytes } from 'node:crypto';
import type { WecomCallbackEventView } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import type { WecomCallbackEventsTable } from '../../db/schema.js';
import { AppError, msg, type Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { nowIso } from '../../lib/ids.js';
import { applyContactEvent } from './applyEvent.js';
import { parseFlatXml } from './callbackXml.js';

type QueueDeps = Pick<Deps, 'db' | 'wecom' | 'sessions'>;

/** A claim older than this belongs to an instance that stopped mid-event (applying takes well under a second). */
const STALE_CLAIM_MS = 2 * 60_000;

let seq = 0;
/** Sorts in arrival order (events of one member must apply in the order WeCom sent them). */
const orderedId = (): string => `${Date.now().toString().padStart(14, '0')}-${(seq++ % 1e6).toString().padStart(6, '0')}-${randomBytes(4).toString('hex')}`;

/**
 * Events are stored on receipt (the callback answers WeCom at once) and applied here right after,
 * one at a time in arrival order. A delivery WeCom repeats has the same decrypted content, so it
 * is stored once (unique content_hash) and applied once.
 */
export class CallbackQueue {
  private draining: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: QueueDeps) {}

  /** Stores a decrypted event; false when the same content was already received. */
  async enqueue(xml: string): Promise<boolean> {
    const f = parseFlatXml(xml);
    const res = await this.deps.db
      .insertInto('wecom_callback_events')
      .values({
        id: orderedId(),
        content_hash: createHash('sha256').update(xml).digest('hex'),
        received_at: nowIso(),
        change_type: f.ChangeType ?? f.Event ?? f.MsgType ?? 'unknown',
        subject: (f.UserID ?? f.Id ?? f.TagId ?? '').slice(0, 64),
        message: xml,
        status: 'pending',
        result_json: null,
        applied_at: null,
      })
      .onConflict((oc) => oc.column('content_hash').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Applies pending events in the background (a call while draining makes it look again). */
  kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((e: unknown) => console.error('wecom callback queue failed', e))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Settles when nothing is being applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const { db } = this.deps;
    // An instance that stopped while applying leaves its claim: take such events up again.
    await db
      .updateTable('wecom_callback_events')
      .set({ status: 'pending' })
      .where('status', '=', 'applying')
      .where('applied_at', '<', new Date(Date.now() - STALE_CLAIM_MS).toISOString())
      .execute();
    for (;;) {
      const next = await db.selectFrom('wecom_callback_events').selectAll().where('status', '=', 'pending').orderBy('id').limit(1).executeTakeFirst();
      if (!next) return;
      // Claimed by a conditional update, so two instances never apply one event twice.
      const claim = await db.updateTable('wecom_callback_events').set({ status: 'applying', applied_at: nowIso() }).where('id', '=', next.id).where('status', '=', 'pending').executeTakeFirst();
      if (Number(claim.numUpdatedRows) === 0) continue;
      let status: WecomCallbackEventsTable['status'];
      let result: Msg;
      try {
        ({ status, result } = await applyContactEvent(this.deps, parseFlatXml(next.message)));
      } catch (e) {
        status = 'failed';
        result = e instanceof AppError ? e.msg : msg('应用事件时出错，请查看服务器日志；凌晨的全量同步会修复', 'Applying the event failed (see the server log); the nightly full sync repairs it');
        if (!(e instanceof AppError)) console.error('wecom callback event failed', e);
      }
      await db.updateTable('wecom_callback_events').set({ status, result_json: JSON.stringify(result), applied_at: nowIso() }).where('id', '=', next.id).execute();
    }
  }
}

const queues = new WeakMap<object, CallbackQueue>();

/** The callback queue of this process for these deps (one per app instance). */
export function callbackQueueFor(deps: QueueDeps): CallbackQueue {
  let q = queues.get(deps);
  if (!q) {
    q = new CallbackQueue(deps);
    queues.set(deps, q);
  }
  return q;
}

export function toEventView(r: WecomCallbackEventsTable, lang: Lang): WecomCallbackEventView {
  const result = r.result_json ? (JSON.parse(r.result_json) as Msg) : null;
  return {
    id: r.id,
    receivedAt: r.received_at,
    appliedAt: r.applied_at,
    changeType: r.change_type,
    subject: r.subject,
    status: r.status,
    result: result ? result[lang] : null,
  };
}
