// Remembers the main window's size, position and maximised state between runs, and puts it back only
// where a display still shows it (an unplugged monitor must not hide the window).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BrowserWindow, Rectangle } from './electron-types.ts';

const WindowStateSchema = z.object({
  x: z.number().int(), y: z.number().int(), width: z.number().int().min(400), height: z.number().int().min(300), maximized: z.boolean(),
});
export type WindowState = z.output<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1280, height: 860 };

/** Part of the window that must lie on a display for the saved position to be used (px each way). */
const VISIBLE_MARGIN = 64;

export function loadWindowState(file: string, displays: Rectangle[]): Partial<WindowState> & { width: number; height: number } {
  try {
    const s = WindowStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const onScreen = displays.some((d) => s.x + VISIBLE_MARGIN < d.x + d.width && s.x + s.width - VISIBLE_MARGIN > d.x && s.y + VISIBLE_MARGIN < d.y + d.height && s.y + VISIBLE_MARGIN > d.y);
    return onScreen ? s : { width: s.width, height: s.height, maximized: s.maximized };
  } catch {
    return { ...DEFAULT_SIZE };
  }
}

export function saveWindowState(file: string, win: BrowserWindow): void {
  if (win.isDestroyed() || win.isMinimized()) return;
  const b = win.getNormalBounds();
  const state: WindowState = { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(state));
  } catch {
    // Not remembering the window is no reason to stop quitting.
  }
}
