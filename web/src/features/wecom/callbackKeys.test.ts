import { WecomCallbackTokenSchema, WecomEncodingAesKeySchema } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { generateCallbackToken, generateEncodingAesKey } from './callbackKeys';

describe('generated callback Token and EncodingAESKey', () => {
  it('are accepted by the server schemas, fresh each time, and the key decodes to a 32-byte AES key', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const token = generateCallbackToken();
      const key = generateEncodingAesKey();
      expect(WecomCallbackTokenSchema.safeParse(token).success, token).toBe(true);
      expect(WecomEncodingAesKeySchema.safeParse(key).success, key).toBe(true);
      expect(atob(`${key}=`)).toHaveLength(32);
      tokens.add(token);
    }
    expect(tokens.size).toBe(50);
  });
});
