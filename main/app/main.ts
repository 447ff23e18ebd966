// The desktop app's main process: one instance, one window with the renderer loaded from app://, the API
// bridged over one IPC channel (every call validated by the shared dispatcher), thumbnails from a
// protocol that reads only the cache, and nothing remote: navigation and new windows are refused.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppApi, type AppApi } from '../api/app-api.ts';
import { staticFile } from '../api/renderer-files.ts';
import { parseThumbRequest } from '../api/thumbnails.ts';
import { defaultCacheDir, defaultCatalogPath } from '../engine/library/catalog/location.ts';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { ELECTRON } from '../../shared/hosts.ts';
import { dispatch } from '../../shared/rpc.ts';
import type { BrowserWindow, ElectronModule, IpcMainInvokeEvent } from './electron-types.ts';
import { denyAllPermissions, THUMB_HEADERS, webPreferences } from './hardening.ts';
import { menuTemplate } from './menu.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

const electron = createRequire(import.meta.url)('electron') as ElectronModule;
const { app, BrowserWindow: Window, ipcMain, protocol, session, shell, dialog, Menu, screen } = electron;

const APP_ORIGIN = `${ELECTRON.appScheme}://${ELECTRON.appHost}`;
const CSP = contentSecurityPolicy({ img: [`${ELECTRON.thumbScheme}:`] });

// Must happen before 'ready': app:// behaves like https (origin, fetch), thumb:// may be an image source.
protocol.registerSchemesAsPrivileged([
  { scheme: ELECTRON.appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  { scheme: ELECTRON.thumbScheme, privileges: { standard: true, secure: true } },
]);

let mainWindow: BrowserWindow | null = null;
let api: AppApi | null = null;

function focusMain(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function chooseFolder(): Promise<string | null> {
  const r = await dialog.showOpenDialog(mainWindow ?? undefined, { properties: ['openDirectory'], title: 'Add a photo folder' });
  return r.canceled ? null : r.filePaths[0] ?? null;
}

/** Only our own page may call the API: a frame from anywhere else (there should be none) is refused. */
function trusted(event: IpcMainInvokeEvent): boolean {
  return !!event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`);
}

function createWindow(stateFile: string): BrowserWindow {
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new Window({
    ...state,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'FaceAtlas',
    webPreferences: webPreferences(path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload.cjs'), app.isPackaged),
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(stateFile, win));
  win.on('closed', () => (mainWindow = null));
  void win.loadURL(`${APP_ORIGIN}/index.html#/people`);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  const dbFile = path.resolve(process.env.FACE_ATLAS_DB ?? defaultCatalogPath());
  const appApi = (api = createAppApi({
    dbFile,
    cacheDir: process.env.FACE_ATLAS_CACHE ?? defaultCacheDir(dbFile),
    host: { mode: 'electron', version: app.getVersion(), chooseFolder, showItemInFolder: (file) => shell.showItemInFolder(file) },
  }));
  const rendererDir = path.join(app.getAppPath(), 'dist', 'renderer');

  protocol.handle(ELECTRON.appScheme, async (request) => {
    const url = new URL(request.url);
    const found = url.host === ELECTRON.appHost ? await staticFile(rendererDir, url.pathname) : null;
    if (!found) return new Response('not found', { status: 404 });
    return new Response(await readFile(found.file), { headers: { 'Content-Type': found.type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' } });
  });
  protocol.handle(ELECTRON.thumbScheme, async (request) => {
    const url = new URL(request.url);
    const wanted = parseThumbRequest(`${url.host}${url.pathname}`);
    const file = wanted && (await appApi.thumbnail(wanted.kind, wanted.id));
    if (!file) return new Response('not found', { status: 404 });
    return new Response(await readFile(file), { headers: THUMB_HEADERS });
  });

  ipcMain.handle(ELECTRON.callChannel, async (event, method, params) => {
    if (!trusted(event)) return { ok: false, error: { code: 'UNAVAILABLE', message: 'calls are only accepted from the app' } };
    return dispatch(appApi.handlers, method, params);
  });
  appApi.events.subscribe((event, data) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(ELECTRON.eventChannel, event, data);
  });

  denyAllPermissions(session.defaultSession);

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    addFolder: () => void chooseFolder().then((folder) => folder && appApi.handlers['library.addFolder']({ path: folder })).catch((err: Error) => console.error(err.message)),
    navigate: (href) => appApi.events.emit('app.navigate', { href }),
    about: () => app.showAboutPanel?.(),
  }, process.platform, { devTools: !app.isPackaged })));

  mainWindow = createWindow(path.join(app.getPath('userData'), 'window-state.json'));
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createWindow(path.join(app.getPath('userData'), 'window-state.json'));
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !api) return;
  // Let the index run commit the photo in flight and the engine's workers stop before the process ends.
  event.preventDefault();
  closing = true;
  void api.close().finally(() => app.quit());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMain);
  start().catch((err: Error) => {
    console.error(`FaceAtlas could not start: ${err.stack ?? err.message}`);
    app.exit(1);
  });
}
