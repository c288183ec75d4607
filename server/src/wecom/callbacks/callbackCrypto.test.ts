import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { CallbackRejected, openCallback, signatureMatches } from './callbackCrypto.js';
import { parseFlatXml } from './callbackXml.js';

// The official vectors (WeCom's Python sample, /work/shared/reference/wecom-api.md §5.4).
const KEYS = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corpId: 'ww1436e0e65a779aee' };
const VERIFY = {
  msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const POST = {
  msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
  timestamp: '1476422779',
  nonce: '1597212914',
  encrypt:
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
};

describe('WeCom callback crypto (official test vectors)', () => {
  it('verifies the URL: signature over echostr, decrypted to the plaintext to echo', () => {
    expect(openCallback(KEYS, VERIFY, VERIFY.echostr)).toBe('1288432023552776189');
  });

  it('opens the official POST event', () => {
    const xml = openCallback(KEYS, POST, POST.encrypt);
    expect(parseFlatXml(xml)).toMatchObject({ ToUserName: 'ww1436e0e65a779aee', FromUserName: 'ChenJiaShun', CreateTime: '1476422779', Content: '你好', MsgId: '1456453720' });
  });

  it('refuses a wrong signature, a wrong token and another corp', () => {
    expect(() => openCallback(KEYS, { ...POST, msg_signature: '0'.repeat(40) }, POST.encrypt)).toThrow(CallbackRejected);
    expect(() => openCallback({ ...KEYS, token: 'otherToken' }, POST, POST.encrypt)).toThrow(/signature/);
    expect(() => openCallback({ ...KEYS, corpId: 'ww0000000000000000' }, POST, POST.encrypt)).toThrow(/CorpID/);
    expect(signatureMatches(KEYS.token, POST, POST.encrypt)).toBe(true);
  });

  it('round-trips messages of every length, whose 32-byte padding exceeds 16 in most cases', () => {
    for (let len = 0; len < 70; len++) {
      const message = randomBytes(len).toString('hex').slice(0, len);
      const enc = encrypt(KEYS.encodingAesKey, message, KEYS.corpId);
      const q = { timestamp: '1700000000', nonce: String(len), msg_signature: getSignature(KEYS.token, '1700000000', len, enc) };
      expect(openCallback(KEYS, q, enc)).toBe(message);
    }
  });
});

describe('callback XML', () => {
  it('reads CDATA and bare values, and ignores the nested ExtAttr names', () => {
    const xml =
      '<xml><ToUserName><![CDATA[toUser]]></ToUserName><CreateTime>1403610513</CreateTime><ChangeType>create_user</ChangeType>' +
      '<UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三]]></Name><Department><![CDATA[1,2,3]]></Department><Status>1</Status>' +
      '<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item></ExtAttr></xml>';
    expect(parseFlatXml(xml)).toEqual({ ToUserName: 'toUser', CreateTime: '1403610513', ChangeType: 'create_user', UserID: 'zhangsan', Name: '张三', Department: '1,2,3', Status: '1' });
  });
});
