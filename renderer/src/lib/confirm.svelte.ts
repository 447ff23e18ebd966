// One confirmation dialog for the whole app: `ask()` opens it and resolves true (confirmed) or false
// (Cancel, Escape, click outside). Focus returns to where it was.
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** Optional detail lines (what happens to photos and names...). */
  details?: string[];
}

export const confirmState = $state<{ request: ConfirmRequest | null }>({ request: null });
let settle: ((ok: boolean) => void) | null = null;

export function ask(request: ConfirmRequest): Promise<boolean> {
  settle?.(false);
  confirmState.request = request;
  return new Promise((resolve) => (settle = resolve));
}

export function answer(ok: boolean): void {
  const s = settle;
  settle = null;
  confirmState.request = null;
  s?.(ok);
}
