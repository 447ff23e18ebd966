// Where the catalog lives by default: the per-user app-data folder of each platform.
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'face-atlas';
export const CATALOG_FILE = 'catalog.db';

/** The app-data folder: XDG_DATA_HOME on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, APP_FOLDER);
}

export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(appDataDir(env, platform), CATALOG_FILE);
}

/** Thumbnails are a cache beside the catalog by default: they can always be regenerated from the photos. */
export function defaultCacheDir(catalogPath: string): string {
  return path.join(path.dirname(catalogPath), 'cache');
}
