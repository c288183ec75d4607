const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Letters and digits only, as the WeCom admin's own "随机获取" makes them (unbiased: 248 = 62 × 4). */
function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62];
    }
  }
  return out;
}

/** A callback Token: 32 letters/digits (WeCom allows 3–32). */
export const generateCallbackToken = (): string => randomAlnum(32);

/** An EncodingAESKey: 43 letters/digits, i.e. base64 of a 32-byte AES-256 key without the "=". */
export const generateEncodingAesKey = (): string => randomAlnum(43);
