// Web mode: calls and events over one WebSocket to the server that served this page, authenticated by the
// token the page took from its address (lib/web-token.ts). Reconnects after a drop; calls made while
// disconnected wait for it. Thumbnails carry the token in their query: an <img> cannot send a header, and
// fetching them into blob: URLs would cost memory and a looser CSP for nothing (the page is same-origin,
// Referrer-Policy is no-referrer, so the URL is not passed on).
import { WEB_MODE } from '../../../../shared/hosts.ts';
import { RpcServerMessageSchema, type RpcOutcome, type Transport } from '../../../../shared/rpc.ts';
import type { MethodName } from '../../../../shared/api.ts';

const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

export function webSocketTransport(token: string): Transport {
  const pending = new Map<number, (o: RpcOutcome) => void>();
  const listeners = new Set<(event: string, data: unknown) => void>();
  const queue: string[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;

  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WEB_MODE.apiPath}?${WEB_MODE.tokenParam}=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (e) => {
      const parsed = RpcServerMessageSchema.safeParse(JSON.parse(String(e.data)));
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'event') for (const l of listeners) l(m.event, m.data);
      else if (m.id !== null) {
        const resolve = pending.get(m.id);
        pending.delete(m.id);
        resolve?.(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
      }
    };
    ws.onclose = () => {
      socket = null;
      // Calls in flight are lost with the socket: answer them, so no view waits forever.
      for (const [id, resolve] of pending) {
        pending.delete(id);
        resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'connection to FaceAtlas lost' } });
      }
      setTimeout(connect, RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    };
  };
  connect();

  return {
    mode: 'web',
    call(method: MethodName, params: unknown) {
      const id = nextId++;
      const text = JSON.stringify({ id, method, params });
      return new Promise<RpcOutcome>((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    thumbUrl: (kind, id) => `${WEB_MODE.thumbPath}/${kind}/${id}?${WEB_MODE.tokenParam}=${encodeURIComponent(token)}`,
  };
}
