// Desktop: calls and events through the preload's contextBridge object; thumbnails from the app's protocol.
import { ELECTRON, type FaceAtlasBridge } from '../../../../shared/hosts.ts';
import type { Transport } from '../../../../shared/rpc.ts';

export function electronTransport(bridge: FaceAtlasBridge): Transport {
  return {
    mode: 'electron',
    call: (method, params) => bridge.call(method, params),
    subscribe: (listener) => bridge.onEvent(listener),
    thumbUrl: (kind, id) => `${ELECTRON.thumbScheme}://${kind}/${id}`,
    pathForFile: (file) => bridge.pathForFile(file),
  };
}
