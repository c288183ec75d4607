import { EventEmitter } from 'node:events';
import type { WecomSyncCounts, WecomSyncProgress, WecomSyncProgressEvent, WecomSyncTrigger } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import { AppError, ConflictError, msg, type Msg } from '../../errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import type { Db } from '../../db/createDb.js';
import type { WecomClient } from '../WecomClient.js';
import { applyListing, fetchListing, storedHashes, type ListingOptions } from './addressBook.js';
import { HEARTBEAT_MS, acquireLease, releaseLease, renewLease } from './syncLease.js';
import { closeAbandonedRuns, finishRun, insertRun, saveProgress } from './syncRuns.js';
import { localJobLocks } from '../../cluster/JobLocks.js';

type SyncDeps = Pick<Deps, 'db' | 'wecom' | 'sessions'> & Partial<Pick<Deps, 'cluster'>>;

export const syncBusy = (): ConflictError =>
  new ConflictError(msg('同步正在进行中，请等待本次同步结束后再试', 'A sync is already running; wait for it to finish'));

export type SyncOutcome = { status: 'ok'; counts: WecomSyncCounts } | { status: 'failed'; error: Msg };

export interface StartedSync {
  runId: string;
  /** Settles when the run has ended (never rejects). */
  done: Promise<SyncOutcome>;
}

/** Saves progress to the run row at most this often (other instances and late readers see it). */
const SAVE_EVERY_MS = 2_000;

/**
 * Runs address-book syncs, one at a time across instances (the lease), and broadcasts their
 * progress to listeners in this process (the admin WebSocket, the CLI progress bar).
 */
/** A progress event as emitted; the socket picks the error's language per listener. */
export type SyncEvent = Omit<WecomSyncProgressEvent, 'error'> & { error?: Msg };

export class WecomSyncService extends EventEmitter<{ progress: [SyncEvent] }> {
  private readonly live = new Map<string, WecomSyncProgress>();
  private readonly running = new Map<string, Promise<SyncOutcome>>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly heartbeatMs = HEARTBEAT_MS,
    private readonly listingOptions: ListingOptions = {},
  ) {
    super();
    // One listener per open admin socket; more than Node's default 10 is normal, not a leak.
    this.setMaxListeners(0);
    // Several instances: the progress of a run on any instance reaches admin sockets on all.
    deps.cluster?.bus.on<SyncEvent>('sync_progress', (e) => {
      if (typeof e?.runId === 'string') this.emit('progress', e);
    });
  }

  private broadcast(e: SyncEvent): void {
    if (this.deps.cluster) this.deps.cluster.bus.publish('sync_progress', e);
    else this.emit('progress', e);
  }

  /**
   * Starts a run in the background. Throws 403 when the integration is off or incomplete and
   * 409 when a sync is already running (here or on another instance).
   */
  async start(trigger: WecomSyncTrigger): Promise<StartedSync> {
    const { db } = this.deps;
    const { client, syncClient } = await this.deps.wecom.active();
    const runId = newId();
    // Several instances: the advisory lock says at once whether a live instance runs a sync.
    const locks = this.deps.cluster?.locks ?? localJobLocks;
    const held = await locks.tryHold('sync');
    if (!held) throw syncBusy();
    try {
      if (!(await acquireLease(db, runId, Date.now(), undefined, 'sync', locks.proves))) throw syncBusy();
      try {
        await closeAbandonedRuns(db, runId);
        await insertRun(db, runId, trigger);
      } catch (e) {
        await releaseLease(db, runId);
        throw e;
      }
    } catch (e) {
      await held.release();
      throw e;
    }
    this.live.set(runId, { phase: 'starting', done: 0, total: 0 });
    const done = this.run(runId, client, syncClient).finally(() => {
      void held.release();
      this.running.delete(runId);
      this.live.delete(runId);
    });
    this.running.set(runId, done);
    return { runId, done };
  }

  /** The live progress of a run of this process, if it is running here. */
  progressOf(runId: string): WecomSyncProgress | undefined {
    return this.live.get(runId);
  }

  /** Settles when the run (of this process) ends; undefined when it is not running here. */
  whenDone(runId: string): Promise<SyncOutcome> | undefined {
    return this.running.get(runId);
  }

  private async run(runId: string, client: WecomClient, syncClient: WecomClient | null): Promise<SyncOutcome> {
    const { db, sessions } = this.deps;
    let lastSave = 0;
    // Renewed on a timer, not on progress: one slow WeCom call (retries, timeouts) can outlast the
    // lease, while a dead process stops renewing and its lease lapses within LEASE_MS.
    let beat: Promise<unknown> = Promise.resolve();
    const heartbeat = setInterval(() => {
      beat = renewLease(db, runId).catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref();
    const onProgress = async (p: WecomSyncProgress) => {
      this.live.set(runId, p);
      this.broadcast({ runId, status: 'running', progress: p });
      const now = Date.now();
      if (now - lastSave >= SAVE_EVERY_MS || p.phase !== 'members') {
        lastSave = now;
        await saveProgress(db, runId, p);
      }
    };
    try {
      // Pages are compared with the stored hashes as they arrive; only the differences are kept
      // (the whole book on a first sync, nothing on a resync with no change).
      const listing = await fetchListing(client, await storedHashes(db), onProgress, syncClient, this.listingOptions);
      await onProgress({ phase: 'saving', done: 0, total: 1 });
      const runAt = nowIso();
      // All or nothing: nothing is written while WeCom is being listed, so a failure part-way
      // leaves the local copy as it was; the differences go in one short transaction at the end.
      // (Not one transaction around the whole listing: on SQLite it would hold the only write
      // lock, and with it every login, for the many seconds WeCom takes to answer 5,000 calls.)
      const { counts } = await db.transaction().execute(async (trx) => {
        // Still ours? (On PostgreSQL this also holds the lease row until the commit.)
        if (!(await renewLease(trx, runId))) throw syncBusy();
        return applyListing(trx, listing, runAt);
      });
      // Passwordless access ends at once for members WeCom reports disabled or gone (all of
      // them, not only this run's, in case an earlier run stopped right here); password
      // sessions stay. Re-enabled members log in again at their next WeCom login.
      for (const userId of await boundInactiveUsers(db)) await sessions.closeAllForUser(userId, 'wecom');
      await finishRun(db, runId, { counts, finishedAt: nowIso() });
      this.broadcast({ runId, status: 'ok', progress: { phase: 'done', done: 1, total: 1 }, counts });
      return { status: 'ok', counts };
    } catch (e) {
      const error = e instanceof AppError ? e.msg : msg('同步失败（服务器内部错误），请查看服务器日志', 'The sync failed (internal error); see the server log');
      if (!(e instanceof AppError)) console.error('wecom sync failed', e);
      await finishRun(db, runId, { error }).catch(() => undefined);
      const p = this.live.get(runId) ?? { phase: 'failed', done: 0, total: 0 };
      this.broadcast({ runId, status: 'failed', progress: { ...p, phase: 'failed' }, error });
      return { status: 'failed', error };
    } finally {
      clearInterval(heartbeat);
      await beat; // a renewal landing after the release would hold the lease again
      await releaseLease(db, runId).catch(() => undefined);
    }
  }
}

/** Shulan users matched with a member WeCom reports disabled, not activated or gone. */
async function boundInactiveUsers(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('wecom_bindings')
    .innerJoin('wecom_members', 'wecom_members.userid', 'wecom_bindings.wecom_userid')
    .select('wecom_bindings.user_id')
    .where((eb) => eb.or([eb('wecom_members.status', '!=', 1), eb('wecom_members.left_at', 'is not', null)]))
    .execute();
  return rows.map((r) => r.user_id);
}

const services = new WeakMap<object, WecomSyncService>();

/** The sync service of this process for these deps (one per app instance). */
export function syncServiceFor(deps: SyncDeps): WecomSyncService {
  let s = services.get(deps);
  if (!s) {
    s = new WecomSyncService(deps);
    services.set(deps, s);
  }
  return s;
}
