// The renderer's one API client, on whichever bridge this page has: Electron's preload object when present,
// else the web-mode WebSocket. Components import `api` and never know which.
import type { FaceAtlasBridge } from '../../../shared/hosts.ts';
import { createClient, type ApiClient } from '../../../shared/rpc.ts';
import { electronTransport } from './transports/electron.ts';
import { webSocketTransport } from './transports/ws.ts';
import { takeWebToken } from './web-token.ts';

function pickTransport() {
  const bridge = (window as unknown as { faceAtlas?: FaceAtlasBridge }).faceAtlas;
  if (bridge) return electronTransport(bridge);
  return webSocketTransport(takeWebToken());
}

export const api: ApiClient = createClient(pickTransport());
