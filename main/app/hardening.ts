// The desktop app's hardening as plain data and small functions, so it is tested without the Electron
// binary: the window's web preferences, the permission handlers, the headers of our protocols.
import { THUMB_CONTENT_TYPE } from '../api/thumbnails.ts';
import type { WebPreferences } from './electron-types.ts';

/** A renderer sandboxed from Node, isolated from the preload, and without DevTools in a packaged build. */
export function webPreferences(preload: string, packaged: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools: !packaged,
  };
}

export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * No page of ours asks for camera, notifications, clipboard or anything else: every request is refused,
 * and every check (which Chromium makes without asking, e.g. for clipboard-read or the HID list) says no.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Headers of a thumb:// answer: a WebP image and nothing a browser may sniff into something else. */
export const THUMB_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': THUMB_CONTENT_TYPE,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, max-age=300',
};
