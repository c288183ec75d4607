import { BAKED_DOMAIN } from '../config';
import { storage } from './storage';

export type DomainCheck = { ok: true; domain: string } | { ok: false; reason: 'https' | 'invalid' };

/** Normalizes what the user typed: https only (WeChat refuses http), no path, no trailing slash. */
export function checkDomain(input: string): DomainCheck {
  let s = input.trim();
  if (!s) return { ok: false, reason: 'invalid' };
  if (!/^[a-z]+:\/\//i.test(s)) s = `https://${s}`;
  const m = /^([a-z]+):\/\/([^/?#\s]+)\/?$/i.exec(s);
  if (!m) return { ok: false, reason: 'invalid' };
  if (m[1]!.toLowerCase() !== 'https') return { ok: false, reason: 'https' };
  const host = m[2]!.toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host) || !host.includes('.')) return { ok: false, reason: 'invalid' };
  return { ok: true, domain: `https://${host}` };
}

/** The server address: baked into the package, else the one the user entered. */
export function currentDomain(): string | null {
  return BAKED_DOMAIN || storage.domain();
}

export function isDomainBaked(): boolean {
  return BAKED_DOMAIN !== '';
}
