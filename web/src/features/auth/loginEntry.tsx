import type { SessionUser } from '@shulan/shared';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { LoginPage, startLoginRequests } from './LoginPage';

/** The lean login page; after login the app takes over the same root at `next`, without a page load. */
export function mountLogin(root: Root): void {
  // The app's JavaScript starts loading when someone starts typing, not before the form shows:
  // by the time the password is in, most of it has arrived (it is a cold cache on a first visit).
  let app: ReturnType<typeof loadApp> | null = null;
  const preload = () => (app ??= loadApp());
  const onSignedIn = async (user: SessionUser, next: string) => {
    // The app's router reads the address when it first renders.
    window.history.replaceState(null, '', next);
    try {
      const { mountApp } = await preload();
      mountApp(root, user);
    } catch {
      // The app's JavaScript did not load (a deploy replaced it, a network blip): a page load gets there.
      window.location.assign(next);
    }
  };
  const requests = startLoginRequests();
  root.render(
    <StrictMode>
      <LoginPage requests={requests} onSignedIn={onSignedIn} onTyping={() => void preload().catch(() => undefined)} />
    </StrictMode>,
  );
}

async function loadApp() {
  const m = await import('../../appEntry');
  m.preloadLayout();
  return m;
}
