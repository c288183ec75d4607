import type { DataChangedEvent, LiveEvents } from '../live/LiveEvents.js';
import type { ClusterBus } from './ClusterBus.js';

/** Live events over the cluster bus: a data change on one instance reaches sockets on all of them. */
export class BusLiveEvents implements LiveEvents {
  constructor(private readonly bus: ClusterBus) {}

  publishDataChanged(event: DataChangedEvent): void {
    this.bus.publish('data_changed', event);
  }

  onDataChanged(listener: (event: DataChangedEvent) => void): () => void {
    return this.bus.on<DataChangedEvent>('data_changed', (e) => {
      if (Array.isArray(e?.datasetIds)) listener(e);
    });
  }
}
