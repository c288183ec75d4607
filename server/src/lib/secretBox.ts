import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts secrets at rest (data-source passwords, the WeCom Secret) with AES-256-GCM.
 * Stored form: "v1:" + base64(iv | tag | ciphertext).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = decodeKey(key);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  /** Throws when the value was encrypted with another key or tampered with. */
  decrypt(stored: string): string {
    if (!stored.startsWith('v1:')) throw new Error('unknown secret format');
    const raw = Buffer.from(stored.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

function decodeKey(key: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(key)) return Buffer.from(key, 'hex');
  const b = Buffer.from(key, 'base64');
  if (b.length === 32) return b;
  // Any other passphrase is stretched to 32 bytes so a human-chosen value still works.
  return createHash('sha256').update(key).digest();
}

/** Reads the key from config or from `<dataDir>/secret.key`, creating that file (mode 600) once. */
export function resolveSecretKey(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
