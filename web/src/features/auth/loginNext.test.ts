import { describe, expect, it } from 'vitest';
import { DEFAULT_NEXT, loginHref, safeNext } from './loginNext';

const ORIGIN = 'https://bi.example.com';

describe('safeNext: the login page only returns to a path of this site', () => {
  it('keeps a same-origin path with its query and hash', () => {
    expect(safeNext('/reports/42?region=华东&x=1#w3', ORIGIN)).toBe('/reports/42?region=%E5%8D%8E%E4%B8%9C&x=1#w3');
    expect(safeNext('/settings', ORIGIN)).toBe('/settings');
  });

  it('falls back to the report list when there is no next', () => {
    expect(safeNext(null, ORIGIN)).toBe(DEFAULT_NEXT);
    expect(safeNext('', ORIGIN)).toBe(DEFAULT_NEXT);
  });

  it.each([
    'https://evil.example/steal',
    '//evil.example/steal',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    'evil.example',
    ' /reports',
  ])('refuses %j (another site or not a path)', (raw) => {
    expect(safeNext(raw, ORIGIN)).toBe(DEFAULT_NEXT);
  });

  it('never returns to the login page itself', () => {
    expect(safeNext('/login', ORIGIN)).toBe(DEFAULT_NEXT);
    expect(safeNext('/login?next=%2Freports', ORIGIN)).toBe(DEFAULT_NEXT);
    // The WeCom bind page is a page of the app, not the login form.
    expect(safeNext('/login/wecom-bind?next=%2Freports', ORIGIN)).toBe('/login/wecom-bind?next=%2Freports');
  });
});

describe('loginHref', () => {
  it('carries where the visitor was, encoded', () => {
    expect(loginHref('/reports/7?a=1&b=2')).toBe('/login?next=%2Freports%2F7%3Fa%3D1%26b%3D2');
  });
  it('leaves the default out', () => {
    expect(loginHref('/')).toBe('/login');
    expect(loginHref('/reports')).toBe('/login');
  });
});
