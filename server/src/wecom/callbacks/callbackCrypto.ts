import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

/** What WeCom sends on every callback request (GET verification and POST events). */
export interface SignedQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

export class CallbackRejected extends Error {}

/** sha1 over the sorted (token, timestamp, nonce, encrypted text), compared in constant time. */
export function signatureMatches(token: string, q: SignedQuery, encrypted: string): boolean {
  const expected = Buffer.from(getSignature(token, q.timestamp, q.nonce, encrypted), 'utf8');
  const given = Buffer.from(q.msg_signature.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Checks the signature, decrypts (AES-256-CBC, 32-byte PKCS#7, by the official @wecom/crypto) and
 * checks that the message was meant for our corp: the library checks neither.
 */
export function openCallback(
  keys: { token: string; encodingAesKey: string; corpId: string },
  q: SignedQuery,
  encrypted: string,
): string {
  if (!signatureMatches(keys.token, q, encrypted)) throw new CallbackRejected('signature mismatch');
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, encrypted);
  } catch {
    throw new CallbackRejected('cannot decrypt');
  }
  if (opened.id !== keys.corpId) throw new CallbackRejected('receiveid is not our CorpID');
  return opened.message;
}
