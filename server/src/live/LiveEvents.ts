import { EventEmitter } from 'node:events';

/** A dataset got a new data_version (new upload, refresh): open reports over it should reload. */
export interface DataChangedEvent {
  datasetIds: string[];
}

/**
 * Data-change notifications between the code that changes data and the live-update sockets.
 * An interface so a Redis pub/sub implementation can replace the in-process one when several
 * server instances run behind a load balancer.
 */
export interface LiveEvents {
  publishDataChanged(event: DataChangedEvent): void;
  /** Returns the unsubscribe function. */
  onDataChanged(listener: (event: DataChangedEvent) => void): () => void;
}

/** Single-process implementation. */
export class InProcessLiveEvents implements LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open socket; the default limit of 10 would warn for no reason.
    this.emitter.setMaxListeners(0);
  }

  publishDataChanged(event: DataChangedEvent): void {
    this.emitter.emit('data_changed', event);
  }

  onDataChanged(listener: (event: DataChangedEvent) => void): () => void {
    this.emitter.on('data_changed', listener);
    return () => this.emitter.off('data_changed', listener);
  }
}
