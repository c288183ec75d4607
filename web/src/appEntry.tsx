import type { SessionUser } from '@shulan/shared';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App } from './App';
import { ME_KEY } from './auth/useAuth';
import { currentLanguage, i18next } from './i18n/i18n';
import { queryClient } from './queryClient';
import './styles.css';

/**
 * Renders the app into `root`: on a page load of any address but /login, or in place of the lean
 * login page once someone has signed in there (`user` then seeds the session query, saving a
 * round trip; the address is already the page to show).
 */
export function mountApp(root: Root, user?: SessionUser): void {
  if (user) queryClient.setQueryData(ME_KEY, user);
  // The login page may have switched the language after this module was loaded.
  if (i18next.language !== currentLanguage()) void i18next.changeLanguage(currentLanguage());
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

/** Starts loading the layout every signed-in page shows (App's lazy() then finds it loaded). */
export function preloadLayout(): void {
  void import('./layout/AppLayout').catch(() => undefined);
}
