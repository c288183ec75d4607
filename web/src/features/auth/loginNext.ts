// Where the login page sends someone afterwards. The app's pages send a signed-out visitor to
// `/login?next=<where they were>` (a full page load: the login route is a lean page of its own), so
// `next` comes from the address bar and must never lead off this site.

export const DEFAULT_NEXT = '/reports';

/**
 * A same-origin path (with its query and hash) from `raw`, or DEFAULT_NEXT: never another host
 * (`//evil.example`, `/\evil.example`, `https://…`, or tabs and newlines that the URL parser
 * drops), and never the login page itself (the page would come back to itself).
 */
export function safeNext(raw: string | null | undefined, origin: string): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== origin) return DEFAULT_NEXT;
  if (url.pathname === '/login' || url.pathname === '/login/') return DEFAULT_NEXT;
  return url.pathname + url.search + url.hash;
}

/** The login page's address that comes back to `from` (a path with its query) after login. */
export function loginHref(from: string): string {
  return from === '/' || from === DEFAULT_NEXT ? '/login' : `/login?next=${encodeURIComponent(from)}`;
}
