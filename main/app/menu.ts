// The application menu: add a folder, go to each view (Ctrl/Cmd+1..7, the same names as the navigation),
// the usual edit/view/window roles.
import { VIEWS } from '../../shared/views.ts';
import type { MenuItemOptions } from './electron-types.ts';

export interface MenuActions {
  addFolder: () => void;
  navigate: (href: string) => void;
  about: () => void;
}

/** `devTools`: false in a packaged build, which then has no menu item (nor shortcut) that opens them. */
export function menuTemplate(actions: MenuActions, platform: NodeJS.Platform, { devTools = true } = {}): MenuItemOptions[] {
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: actions.addFolder },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Go',
      submenu: VIEWS.map((v, i) => ({ label: v.label, accelerator: `CmdOrCtrl+${i + 1}`, click: () => actions.navigate(v.href) })),
    },
    {
      label: '&View',
      submenu: [{ role: 'reload' }, ...(devTools ? [{ role: 'toggleDevTools' }] : []), { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About FaceAtlas', click: actions.about }] },
  ];
}
