// The app's views in navigation order: the renderer's main navigation and the desktop menu both list these.
export const VIEWS = [
  { view: 'people', label: 'People', href: '#/people' },
  { view: 'search', label: 'Search', href: '#/search' },
  { view: 'unassigned', label: 'Unassigned', href: '#/unassigned' },
  { view: 'map', label: 'Map', href: '#/map' },
  { view: 'verify', label: 'Verify', href: '#/verify' },
  { view: 'library', label: 'Library', href: '#/library' },
  { view: 'personalise', label: 'Personalise', href: '#/personalise' },
  { view: 'settings', label: 'Settings', href: '#/settings' },
] as const;

export type ViewName = (typeof VIEWS)[number]['view'];
