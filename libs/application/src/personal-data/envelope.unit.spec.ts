import { randomBytes } from 'node:crypto';
import {
  canary,
  canaryOpens,
  decodeMasterKey,
  keyCheckValue,
  keyEncryptionKey,
  newDataKey,
  open,
  seal,
  SealBroken,
  unwrapDataKey,
  wrapDataKey,
} from './envelope';

const master = randomBytes(32);
const kek = keyEncryptionKey(master);
const fields = { name: '李四', phone: '13800000000' };

describe('envelope encryption of personal data (AES-256-GCM, node:crypto)', () => {
  it('seals and opens a value under a data key; the ciphertext shows nothing of it', () => {
    const key = newDataKey();
    const sealed = seal(key, 'k1', fields);
    expect(sealed).toMatchObject({ alg: 'AES-256-GCM', keyId: 'k1' });
    expect(Buffer.from(sealed.nonce, 'base64')).toHaveLength(12);
    const bytes = Buffer.from(JSON.stringify(sealed));
    expect(bytes.includes(Buffer.from('李四'))).toBe(false);
    expect(bytes.includes(Buffer.from('13800000000'))).toBe(false);
    expect(open(key, sealed)).toEqual(fields);
  });

  it('a fresh nonce each time: the same fields seal differently', () => {
    const key = newDataKey();
    expect(seal(key, 'k1', fields).ciphertext).not.toBe(seal(key, 'k1', fields).ciphertext);
  });

  it('data keys and nonces drawn across many refills of the random pool are all distinct and never zeroed', () => {
    // 1,000 keys and 1,000 nonces are 44,000 bytes: the 4 KiB pool is refilled about eleven times
    const key = newDataKey();
    const keys = Array.from({ length: 1000 }, () => newDataKey().toString('hex'));
    const nonces = Array.from({ length: 1000 }, () => seal(key, 'k1', fields).nonce);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(keys.some((k) => /^(00)+$/.test(k))).toBe(false);
    expect(keys.every((k) => k.length === 64)).toBe(true);
  });

  it('refuses (never decrypts garbage) with another key, another key id, or a flipped byte', () => {
    const key = newDataKey();
    const sealed = seal(key, 'k1', fields);
    expect(() => open(newDataKey(), sealed)).toThrow(SealBroken);
    expect(() => open(key, { ...sealed, keyId: 'k2' })).toThrow(SealBroken);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] ^= 1;
    expect(() => open(key, { ...sealed, ciphertext: flipped.toString('base64') })).toThrow(SealBroken);
  });

  it('wraps a data key under the master key and unwraps it; another master key or key id is refused', () => {
    const key = newDataKey();
    const wrapped = wrapDataKey(kek, key, 'k1');
    expect(unwrapDataKey(kek, wrapped, 'k1').equals(key)).toBe(true);
    expect(() => unwrapDataKey(keyEncryptionKey(randomBytes(32)), wrapped, 'k1')).toThrow(SealBroken);
    expect(() => unwrapDataKey(kek, wrapped, 'k2')).toThrow(SealBroken);
  });

  it('the canary opens only with the master key that made it; the key check value is stable and public', () => {
    const c = canary(kek);
    expect(canaryOpens(kek, c)).toBe(true);
    expect(canaryOpens(keyEncryptionKey(randomBytes(32)), c)).toBe(false);
    expect(keyCheckValue(kek)).toBe(keyCheckValue(keyEncryptionKey(master)));
    expect(keyCheckValue(kek)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('PERSONAL_DATA_KEY: hex or base64, at least 32 bytes', () => {
    const key = randomBytes(32);
    expect(decodeMasterKey(key.toString('hex'))).toEqual({ key });
    expect(decodeMasterKey(key.toString('base64'))).toEqual({ key });
    expect(decodeMasterKey(key.toString('base64url'))).toEqual({ key });
    expect(decodeMasterKey(randomBytes(16).toString('base64'))).toEqual({
      problem: 'must decode to at least 32 bytes (base64 or hex), got 16',
    });
    expect(decodeMasterKey('not a key!')).toEqual({ problem: 'must be base64 or hex' });
  });
});
