import type { SessionUser } from '@shulan/shared';
import { createRoot } from 'react-dom/client';
import { ApiError, api } from './api/apiClient';
import { mountLogin } from './features/auth/loginEntry';
import { loginHref } from './features/auth/loginNext';

const root = createRoot(document.getElementById('root')!);
const path = window.location.pathname;

// The login form is a lean page of its own (React and plain markup: no antd, router or query
// cache), so it shows as soon as React runs; every other address loads the app. The form is part
// of this entry (about 7 KB brotli) rather than a chunk of its own: the browser then fetches it
// with the entry instead of after running it.
if (path === '/login' || path === '/login/') {
  mountLogin(root);
} else if (path.startsWith('/login/')) {
  // The WeCom bind page is part of the app and needs no session.
  void import('./appEntry').then((m) => m.mountApp(root));
} else {
  // Every other page needs a session: ask for it while the app's JavaScript loads, and leave for
  // the login page at once without one, instead of first running the whole app to find out.
  const me = api.get<SessionUser>('/auth/me').catch((err: unknown) => (err instanceof ApiError && err.status === 401 ? null : undefined));
  const app = import('./appEntry');
  void me.then((user) => {
    if (user === null) window.location.replace(loginHref(path + window.location.search));
    else void app.then((m) => m.mountApp(root, user));
  });
}
