// The renderer's Content-Security-Policy, the same in both hosts: only our own scripts and styles, no
// inline code, no remote content; each host adds where thumbnails and the API come from.
export function contentSecurityPolicy(extra: { img?: string[]; connect?: string[] } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    // data: for the aligned crops the Verify view receives, blob: for previews of dropped photos.
    'img-src': ["'self'", 'data:', 'blob:', ...(extra.img ?? [])],
    'connect-src': extra.connect?.length ? extra.connect : ["'none'"],
    'font-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}
