// Toasts: the outcome of an action in plain words, with an Undo button for people edits. One at a time (a
// new one replaces the old); it stays while hovered or focused. Errors stay in the status line instead.
import { api } from './client.ts';
import { say } from './status.svelte.ts';

export interface Toast {
  id: number;
  message: string;
  /** Offer Undo (the people edit it reports is the newest in the undo log). */
  undoable: boolean;
}

/** A toast stays this long (ms) unless hovered or focused: long enough to read and reach Undo. */
export const TOAST_MS = 10_000;

export const toasts = $state<{ current: Toast | null }>({ current: null });
let nextId = 1;

/**
 * The toast shows in the newest host mounted: the photo viewer is a modal dialog (the top layer), so the app's
 * own host is behind it while it is open, and the viewer holds one of its own.
 */
const hosts = $state<{ ids: number[] }>({ ids: [] });
let nextHost = 1;

export function mountToastHost(): number {
  const id = nextHost++;
  hosts.ids.push(id);
  return id;
}

export function unmountToastHost(id: number): void {
  const i = hosts.ids.indexOf(id);
  if (i >= 0) hosts.ids.splice(i, 1);
}

export const isTopToastHost = (id: number): boolean => hosts.ids[hosts.ids.length - 1] === id;

export function toast(message: string, opts: { undoable?: boolean } = {}): void {
  toasts.current = { id: nextId++, message, undoable: !!opts.undoable };
  // Screen readers hear it through the status line as well.
  say(message);
}

export function dismissToast(id: number): void {
  if (toasts.current?.id === id) toasts.current = null;
}

/** Undoes the newest people edit and says what was undone. */
export async function undoLast(): Promise<void> {
  try {
    const r = await api.call('people.undo', {});
    toast(r.summary ?? 'Nothing to undo.');
  } catch (err) {
    say(err instanceof Error ? err.message : String(err), 'error');
  }
}
