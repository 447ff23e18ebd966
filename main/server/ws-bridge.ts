// The API over one WebSocket: each text message is a call envelope, validated, dispatched through the
// method table and answered; every API event is pushed to the socket. Bad input gets an error reply.
import type { WebSocket } from 'ws';
import { dispatch, RpcCallSchema, type RpcServerMessage } from '../../shared/rpc.ts';
import type { AppApi } from '../api/app-api.ts';

/** Events are dropped (not queued) for a socket this far behind: progress is re-sent soon anyway. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function bridgeSocket(ws: WebSocket, api: AppApi): void {
  const send = (m: RpcServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const unsubscribe = api.events.subscribe((event, data) => {
    if (ws.bufferedAmount < MAX_BUFFERED_BYTES) send({ type: 'event', event, data });
  });
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (raw, isBinary) => {
    if (isBinary) return send({ type: 'reply', id: null, ok: false, error: { code: 'BAD_ENVELOPE', message: 'binary messages are not accepted' } });
    let message: unknown;
    try {
      message = JSON.parse(raw.toString());
    } catch {
      return send({ type: 'reply', id: null, ok: false, error: { code: 'BAD_JSON', message: 'the message is not JSON' } });
    }
    const call = RpcCallSchema.safeParse(message);
    if (!call.success) {
      const id = typeof (message as { id?: unknown })?.id === 'number' && Number.isSafeInteger((message as { id: number }).id) ? (message as { id: number }).id : null;
      return send({ type: 'reply', id, ok: false, error: { code: 'BAD_ENVELOPE', message: 'expected {id, method, params}', issues: call.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String), message: i.message })) } });
    }
    void dispatch(api.handlers, call.data.method, call.data.params).then((outcome) => send({ type: 'reply', id: call.data.id, ...outcome } as RpcServerMessage));
  });
}
