// Hash routing (#/people, #/people/12, #/map ...): works from app:// and from the web server alike, and
// keeps the page's query (web mode's token) untouched.
import { VIEWS } from '../../../shared/views.ts';

export type Route =
  | { view: 'people' }
  /** Photos where all these people appear (`only`: and no other named person). */
  | { view: 'search'; personIds: number[]; only: boolean }
  | { view: 'person'; personId: number }
  | { view: 'unassigned' }
  | { view: 'map' }
  | { view: 'verify' }
  | { view: 'library' }
  | { view: 'personalise' }
  | { view: 'settings' };

export const NAV = VIEWS;

export function parseRoute(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'people' && parts[1] && /^\d+$/.test(parts[1])) return { view: 'person', personId: Number(parts[1]) };
  if (parts[0] === 'search') {
    const personIds = /^\d+(,\d+)*$/.test(parts[1] ?? '') ? parts[1].split(',').map(Number) : [];
    return { view: 'search', personIds, only: parts.includes('only') };
  }
  const simple = NAV.find((n) => n.view === parts[0]);
  return simple ? ({ view: simple.view } as Route) : null;
}

export const router = $state<{ route: Route | null }>({ route: parseRoute(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parseRoute(location.hash);
});

export function searchHref(personIds: number[], only = false): string {
  return `#/search${personIds.length ? `/${personIds.join(',')}` : ''}${only && personIds.length ? '/only' : ''}`;
}

export function go(href: string): void {
  location.hash = href.replace(/^#/, '');
}
