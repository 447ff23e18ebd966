// Names both sides of each bridge must agree on: web-mode paths and token, Electron channels, schemes and
// the shape of the object the preload exposes. Plain data and types only.
import type { RpcOutcome } from './rpc.ts';

export const WEB_MODE = {
  /** Query parameter and header that carry the per-run token. */
  tokenParam: 'token',
  tokenHeader: 'x-face-atlas-token',
  /** WebSocket endpoint of the API. */
  apiPath: '/api',
  /** `/thumb/<face|photo>/<id>`: thumbnails from the cache. */
  thumbPath: '/thumb',
} as const;

export const ELECTRON = {
  /** The one IPC channel for calls (invoke/handle) and the one for events (main -> renderer). */
  callChannel: 'face-atlas:call',
  eventChannel: 'face-atlas:event',
  /** The renderer is loaded from `app://renderer/index.html`; thumbnails from `thumb://face/<id>`. */
  appScheme: 'app',
  appHost: 'renderer',
  thumbScheme: 'thumb',
} as const;

/** What the preload puts on `window.faceAtlas` (contextBridge): calls by method name, events, dropped-file paths. */
export interface FaceAtlasBridge {
  call(method: string, params: unknown): Promise<RpcOutcome>;
  onEvent(listener: (event: string, data: unknown) => void): () => void;
  pathForFile(file: File): string | null;
}
