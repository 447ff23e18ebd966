// The API's event stream: every event is checked against its schema in shared/api.ts before it leaves,
// then handed to whichever bridges listen (IPC, WebSocket).
import { EventEmitter } from 'node:events';
import type { EventData, EventName } from '../../shared/api.ts';
import { checkedEvent } from '../../shared/rpc.ts';

export type ApiEventListener = (event: EventName, data: unknown) => void;

export class ApiEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per connected window or socket.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(event: E, data: EventData<E>): void {
    this.emitter.emit('event', event, checkedEvent(event, data));
  }

  subscribe(listener: ApiEventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
