import { hash, verify } from '@node-rs/argon2';

// argon2id with the library defaults (19 MiB, t=2), OWASP's minimum recommendation.
export const hashPassword = (plain: string): Promise<string> => hash(plain);

const DUMMY_HASH = hash('shulan-timing-equaliser');

/** Verifies; with a null hash it still spends the same time so unknown usernames don't leak. */
export async function verifyPassword(stored: string | null, plain: string): Promise<boolean> {
  if (stored === null) {
    await verify(await DUMMY_HASH, plain).catch(() => false);
    return false;
  }
  return verify(stored, plain).catch(() => false);
}
