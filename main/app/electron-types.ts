// The part of Electron's API the desktop shell uses, declared here because `electron` is an optional
// dependency that is not installed everywhere (its binary download fails offline); the code must still
// type-check. Loaded at run time with require('electron').
import type { PermissionSession } from './hardening.ts';
export interface Rectangle { x: number; y: number; width: number; height: number }

export interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
}

export interface IpcMainInvokeEvent { senderFrame: { url: string } | null; sender: WebContents }

export interface WebContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  isDestroyed(): boolean;
  getURL(): string;
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isMinimized(): boolean;
  maximize(): void;
  restore(): void;
  focus(): void;
  show(): void;
  isDestroyed(): boolean;
  on(event: 'close' | 'closed' | 'ready-to-show' | 'resize' | 'move', listener: () => void): void;
  once(event: 'ready-to-show', listener: () => void): void;
}

export interface BrowserWindowConstructor {
  new (options: {
    x?: number; y?: number; width: number; height: number; minWidth?: number; minHeight?: number; show?: boolean; title?: string;
    backgroundColor?: string; webPreferences: WebPreferences;
  }): BrowserWindow;
  getAllWindows(): BrowserWindow[];
  getFocusedWindow(): BrowserWindow | null;
}

export interface MenuItemOptions {
  label?: string;
  role?: string;
  type?: 'separator' | 'normal';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItemOptions[];
}

export interface ElectronModule {
  app: {
    readonly isPackaged: boolean;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    exit(code?: number): void;
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    getAppPath(): string;
    getVersion(): string;
    getName(): string;
    setAboutPanelOptions?(options: Record<string, string>): void;
    showAboutPanel?(): void;
    on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): void;
    on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): void;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void;
  };
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: { handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void;
  };
  session: { defaultSession: PermissionSession };
  shell: { showItemInFolder(fullPath: string): void };
  dialog: { showOpenDialog(window: BrowserWindow | undefined, options: { properties: string[]; title?: string }): Promise<{ canceled: boolean; filePaths: string[] }> };
  Menu: { buildFromTemplate(template: MenuItemOptions[]): unknown; setApplicationMenu(menu: unknown): void };
  screen: { getAllDisplays(): { workArea: Rectangle }[] };
}

/** What the preload may touch (a sandboxed preload gets only these). */
export interface ElectronRendererModule {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  };
  webUtils: { getPathForFile(file: File): string };
}
