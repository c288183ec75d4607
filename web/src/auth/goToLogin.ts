import { loginHref } from '../features/auth/loginNext';

let leaving = false;

/**
 * A full page load to the login page, which is a lean page of its own (main.tsx), never a route of
 * the app. `from` (a path with its query) is where to come back after login. Only the first call
 * counts: a logout leaves for the plain login page even when the dropped session also makes
 * RequireUser send the visitor there with `from`.
 */
export function goToLogin(from?: string): void {
  if (leaving) return;
  leaving = true;
  window.location.assign(from ? loginHref(from) : '/login');
}
