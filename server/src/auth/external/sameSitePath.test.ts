import { NextPathSchema, sameSitePath } from '@shulan/shared';
import { describe, expect, it } from 'vitest';

const ORIGIN = 'https://bi.example.com';
/** Where a browser goes when a login answers `Location: <path>` from this site. */
const followed = (location: string) => new URL(location, `${ORIGIN}/api/auth/wecom/callback`);

describe('where a login may send the browser afterwards (?next=)', () => {
  it('keeps a path on this site with its query and hash', () => {
    for (const p of ['/reports', '/reports/abc?f=1&sel=x#top', '/settings?tab=profile', '/a/b\\c']) {
      const out = sameSitePath(p);
      expect(followed(out).origin).toBe(ORIGIN);
      expect(followed(out).pathname.startsWith('/')).toBe(true);
    }
    expect(sameSitePath('/reports/abc?f=1#top')).toBe('/reports/abc?f=1#top');
  });

  it('never leads off the site, however a browser would read the Location header', () => {
    const tricks = [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example', // a browser drops the tab: //evil.example
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\\\t\\evil.example',
      '/ /evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      'evil.example',
      '',
    ];
    for (const p of tricks) {
      const out = sameSitePath(p);
      expect(followed(out).origin, JSON.stringify(p)).toBe(ORIGIN);
    }
    expect(sameSitePath('/\t/evil.example')).toBe('/');
    expect(NextPathSchema.parse('/\t/evil.example')).toBe('/');
    expect(NextPathSchema.parse(undefined)).toBe('/');
  });
});
