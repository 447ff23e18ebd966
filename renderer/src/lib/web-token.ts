// Web mode's access token: read once from the address `face-atlas serve` printed, then taken out of the
// address bar and history (history.replaceState) so it is not shown, bookmarked or shared by accident.
// It stays in memory, and in this tab's sessionStorage so a reload keeps working: sessionStorage is
// scoped to this origin (port included, unlike a cookie), is never sent over the network, and goes
// with the tab.
import { WEB_MODE } from '../../../shared/hosts.ts';

const STORAGE_KEY = 'face-atlas.token';

export function takeWebToken(): string {
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get(WEB_MODE.tokenParam);
  if (fromAddress !== null) {
    url.searchParams.delete(WEB_MODE.tokenParam);
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    try {
      sessionStorage.setItem(STORAGE_KEY, fromAddress);
    } catch {
      // Storage disabled: the token lives in memory only, and a reload needs the printed address again.
    }
    return fromAddress;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}
