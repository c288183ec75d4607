import * as client from 'openid-client';
import { decryptOrNull, type StoredOidc } from './externalSettings.js';
import type { SecretBox } from '../../lib/secretBox.js';

/** What the callback needs to finish the login started in this browser (kept in an HttpOnly cookie). */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  redirectUri: string;
}

const DISCOVERY_TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/** Plain http only for a provider on this machine (tests, trials); anything else must be https. */
function isLoopback(u: URL): boolean {
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
}

/** The provider's configuration from discovery, cached for 5 minutes per issuer and client. */
export function oidcConfig(s: StoredOidc, box: SecretBox): Promise<client.Configuration> {
  const secret = decryptOrNull(s.clientSecretEnc, box) ?? undefined;
  const issuer = new URL(s.issuer!);
  const key = `${issuer.href}|${s.clientId}|${secret ?? ''}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const config = client.discovery(issuer, s.clientId!, secret, undefined, isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined);
  cache.set(key, { at: Date.now(), config });
  // A failed discovery is not remembered: the next login tries again.
  config.catch(() => cache.delete(key));
  return config;
}

/** The authorization URL (PKCE S256, state, nonce) and what the callback must check. */
export async function oidcStart(s: StoredOidc, box: SecretBox, redirectUri: string, next: string): Promise<{ url: string; pending: OidcPending }> {
  const config = await oidcConfig(s, box);
  const verifier = client.randomPKCECodeVerifier();
  const pending: OidcPending = { state: client.randomState(), nonce: client.randomNonce(), verifier, next, redirectUri };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: s.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending };
}

/** Exchanges the code (checking state, nonce, PKCE, the ID token) and returns the person's claims. */
export async function oidcFinish(s: StoredOidc, box: SecretBox, callbackUrl: URL, pending: OidcPending): Promise<{ username: string | null; displayName: string; groups: string[] }> {
  const config = await oidcConfig(s, box);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims()!;
  // Groups are often only in the userinfo answer; the ID token wins where both have a claim.
  const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}) as client.UserInfoResponse);
  const claims: Record<string, unknown> = { ...info, ...idClaims };
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const rawGroups = claims[s.groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
  const username = str(claims[s.usernameClaim]);
  return { username, displayName: str(claims.name) ?? username ?? idClaims.sub, groups };
}
