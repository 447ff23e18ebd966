// The sandboxed preload: exposes `window.faceAtlas`, a bridge that calls the API's methods by name (typed by
// the table in shared/api.ts; main validates every call against it), listens to its events and tells the
// path of a dropped file. Nothing of Node or Electron reaches the page. It imports types only, so the
// bundle stays a few kilobytes.
import type { MethodName } from '../../shared/api.ts';
import { ELECTRON, type FaceAtlasBridge } from '../../shared/hosts.ts';
import type { RpcOutcome } from '../../shared/rpc.ts';
import type { ElectronRendererModule } from './electron-types.ts';

// A sandboxed preload has a CommonJS `require` limited to Electron's renderer modules.
declare const require: (name: 'electron') => unknown;
const { contextBridge, ipcRenderer, webUtils } = require('electron') as ElectronRendererModule;

const bridge: FaceAtlasBridge = {
  call(method: MethodName | string, params: unknown) {
    if (typeof method !== 'string' || method.length > 64) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'a method name is a short string' } });
    return ipcRenderer.invoke(ELECTRON.callChannel, method, params) as Promise<RpcOutcome>;
  },
  onEvent(listener) {
    const handler = (_event: unknown, ...args: unknown[]): void => listener(String(args[0]), args[1]);
    ipcRenderer.on(ELECTRON.eventChannel, handler);
    return () => ipcRenderer.removeListener(ELECTRON.eventChannel, handler);
  },
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('faceAtlas', bridge);
