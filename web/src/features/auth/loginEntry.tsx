import type { SessionUser } from '@shulan/shared';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { LoginPage } from './LoginPage';

/** The lean login page; after login the app takes over the same root at `next`, without a page load. */
export function mountLogin(root: Root): void {
  const onSignedIn = async (user: SessionUser, next: string) => {
    // Before the app's router reads the address.
    window.history.replaceState(null, '', next);
    try {
      const { mountApp } = await import('../../appEntry');
      mountApp(root, user);
    } catch {
      // The app's JavaScript did not load (a deploy replaced it, a network blip): a page load gets there.
      window.location.assign(next);
    }
  };
  root.render(
    <StrictMode>
      <LoginPage onSignedIn={onSignedIn} />
    </StrictMode>,
  );
}
