// The desktop app's hardening, checked without the Electron binary: the packaging config (fuses), the
// window's web preferences and menu of a packaged build (no DevTools), the permission handlers, and
// the thumb:// headers. test/e2e/electron.test.ts still runs the real app where Electron is installed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { denyAllPermissions, THUMB_HEADERS, webPreferences } from '../../main/app/hardening.ts';
import { menuTemplate, type MenuActions } from '../../main/app/menu.ts';
import type { MenuItemOptions } from '../../main/app/electron-types.ts';
import { repoRoot } from '../e2e/harness.ts';

// electron-builder's own YAML reader (js-yaml, a dependency of app-builder-lib): the config is read as it will be.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const actions: MenuActions = { addFolder: () => undefined, navigate: () => undefined, about: () => undefined };
const roles = (items: MenuItemOptions[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

describe('desktop hardening', () => {
  test('electron-builder flips the fuses: no run-as-node, no NODE_OPTIONS or --inspect, only a verified app.asar', () => {
    const config = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  test('`npm run dist` builds and packages; electron-builder is a devDependency and Electron stays optional (npm ci offline)', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.scripts.dist).toMatch(/build:renderer.*build-app.*electron-builder$/);
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.optionalDependencies.electron).toBeDefined();
  });

  test('a packaged build has no DevTools: neither in the web preferences nor in the menu', () => {
    const packaged = webPreferences('/app/preload.cjs', true);
    expect(packaged).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(webPreferences('/app/preload.cjs', false).devTools).toBe(true);
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(roles(menuTemplate(actions, platform, { devTools: false }))).not.toContain('toggleDevTools');
      expect(roles(menuTemplate(actions, platform))).toContain('toggleDevTools');
    }
  });

  test('every permission request and every permission check is denied', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'hid', 'serial', 'fullscreen']) {
      let granted: boolean | undefined;
      request!(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(check!(null, permission), permission).toBe(false);
    }
  });

  test('thumb:// answers are WebP that may not be sniffed as anything else', () => {
    expect(THUMB_HEADERS).toMatchObject({ 'Content-Type': 'image/webp', 'X-Content-Type-Options': 'nosniff' });
  });

  test('the main process uses these (and no hand-written copy)', () => {
    const main = readFileSync(path.join(repoRoot, 'main', 'app', 'main.ts'), 'utf8');
    expect(main).toContain('denyAllPermissions(session.defaultSession)');
    expect(main).toMatch(/webPreferences: webPreferences\(.*, app\.isPackaged\)/);
    expect(main).toContain('{ devTools: !app.isPackaged }');
    expect(main).toContain('headers: THUMB_HEADERS');
  });
});
