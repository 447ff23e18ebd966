// One app-wide line for the outcome of the last action (errors, undo), read by screen readers (aria-live).
export const status = $state<{ message: string; kind: 'info' | 'error' }>({ message: '', kind: 'info' });

/** Information fades after this long (ms); errors stay until the next message. */
const INFO_MS = 8000;
let timer: ReturnType<typeof setTimeout> | undefined;

export function say(message: string, kind: 'info' | 'error' = 'info'): void {
  status.message = message;
  status.kind = kind;
  clearTimeout(timer);
  if (kind === 'info') timer = setTimeout(() => (status.message = ''), INFO_MS);
}

/** Runs an action and reports its failure in the status line instead of throwing. */
export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    say(err instanceof Error ? err.message : String(err), 'error');
    return undefined;
  }
}
