import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of personal data (PIPL), node:crypto only:
 *   - each reporter gets a random 256-bit data key; their fields are sealed with AES-256-GCM under it
 *     (a fresh 96-bit nonce per seal; the key id is the additional authenticated data, so a ciphertext
 *     cannot be passed off under another key);
 *   - the data key is stored wrapped (AES-256-GCM again) under the key-encryption key derived from the
 *     master key `PERSONAL_DATA_KEY` by HKDF-SHA256; the wrap binds the key id too.
 * Destroying the wrapped data key makes every ciphertext sealed under it unreadable (crypto-shredding).
 */

export const SEAL_ALGORITHM = 'AES-256-GCM';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** the master key must carry at least this much entropy */
export const MIN_MASTER_KEY_BYTES = 32;

/** A sealed value as it is stored in an event: what the hash chain covers. */
export interface SealedValue {
  alg: typeof SEAL_ALGORITHM;
  keyId: string;
  /** base64 */
  nonce: string;
  /** base64: the ciphertext followed by the 16-byte GCM tag */
  ciphertext: string;
}

/** A decryption that failed authentication: the wrong key, or altered bytes. Never garbage. */
export class SealBroken extends Error {
  constructor(what: string) {
    super(`${what} does not authenticate: wrong key or altered bytes`);
    this.name = 'SealBroken';
  }
}

/**
 * `PERSONAL_DATA_KEY` as bytes: hex (an even number of hex digits) or base64 / base64url, at least 32
 * bytes once decoded. Answers null with the reason when it is not usable.
 */
export function decodeMasterKey(text: string): { key: Buffer } | { problem: string } {
  const trimmed = text.trim();
  let key: Buffer;
  if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
    key = Buffer.from(trimmed, trimmed.match(/[-_]/) ? 'base64url' : 'base64');
  else return { problem: 'must be base64 or hex' };
  if (key.length < MIN_MASTER_KEY_BYTES)
    return { problem: `must decode to at least ${MIN_MASTER_KEY_BYTES} bytes (base64 or hex), got ${key.length}` };
  return { key };
}

/** The key-encryption key: HKDF-SHA256 over the master key, so any master key length gives a 256-bit key. */
export function keyEncryptionKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, 'duban-personal-data', 'key-encryption-key/v1', KEY_BYTES));
}

/** A short public fingerprint of a key-encryption key (names which master key wrapped the keys; reveals nothing). */
export function keyCheckValue(kek: Buffer): string {
  return createHmac('sha256', kek).update('duban personal data key check value').digest('hex').slice(0, 16);
}

/** CSPRNG output drawn this many bytes at a time: a registration's data key and two nonces are 56 bytes. */
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomPoolOffset = RANDOM_POOL_BYTES;

/**
 * `bytes` fresh random bytes, each handed out once: a draw copies its bytes out of a pool that the CSPRNG fills
 * 4 KiB at a time and zeroes them behind it (as Node's randomUUID pools). Three `randomBytes` calls per registration
 * were ~4% of its time on the request's event loop; one refill now serves ~70 registrations.
 */
function freshRandomBytes(bytes: number): Buffer {
  if (bytes > RANDOM_POOL_BYTES) return randomBytes(bytes);
  if (randomPoolOffset + bytes > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomPoolOffset = 0;
  }
  const end = randomPoolOffset + bytes;
  const drawn = Buffer.alloc(bytes);
  randomPool.copy(drawn, 0, randomPoolOffset, end);
  randomPool.fill(0, randomPoolOffset, end);
  randomPoolOffset = end;
  return drawn;
}

export function newDataKey(): Buffer {
  return freshRandomBytes(KEY_BYTES);
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): { nonce: Buffer; sealed: Buffer } {
  const nonce = freshRandomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, sealed: Buffer.concat([body, cipher.getAuthTag()]) };
}

function decrypt(key: Buffer, nonce: Buffer, sealed: Buffer, aad: string, what: string): Buffer {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new SealBroken(what);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealBroken(what);
  }
}

/** A data key wrapped under the key-encryption key: base64 of nonce ‖ ciphertext ‖ tag, bound to its key id. */
export function wrapDataKey(kek: Buffer, dataKey: Buffer, keyId: string): string {
  const { nonce, sealed } = encrypt(kek, dataKey, `wrap:${keyId}`);
  return Buffer.concat([nonce, sealed]).toString('base64');
}

export function unwrapDataKey(kek: Buffer, wrapped: string, keyId: string): Buffer {
  const bytes = Buffer.from(wrapped, 'base64');
  return decrypt(
    kek,
    bytes.subarray(0, NONCE_BYTES),
    bytes.subarray(NONCE_BYTES),
    `wrap:${keyId}`,
    `data key ${keyId}`,
  );
}

/** Seals a JSON value under a data key. */
export function seal(dataKey: Buffer, keyId: string, value: unknown): SealedValue {
  const { nonce, sealed } = encrypt(dataKey, Buffer.from(JSON.stringify(value), 'utf8'), `seal:${keyId}`);
  return { alg: SEAL_ALGORITHM, keyId, nonce: nonce.toString('base64'), ciphertext: sealed.toString('base64') };
}

export function open<T>(dataKey: Buffer, value: SealedValue): T {
  const plain = decrypt(
    dataKey,
    Buffer.from(value.nonce, 'base64'),
    Buffer.from(value.ciphertext, 'base64'),
    `seal:${value.keyId}`,
    `the sealed value under key ${value.keyId}`,
  );
  return JSON.parse(plain.toString('utf8')) as T;
}

/** Whether a value has the shape of a sealed value (old events carry plain text instead). */
export function isSealedValue(value: unknown): value is SealedValue {
  const v = value as Partial<SealedValue> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.alg === SEAL_ALGORITHM &&
    typeof v.keyId === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.ciphertext === 'string'
  );
}

/** A canary sealed under the key-encryption key: opening it at start proves the master key is the right one. */
export function canary(kek: Buffer): string {
  const { nonce, sealed } = encrypt(kek, createHash('sha256').update('duban canary').digest(), 'canary');
  return Buffer.concat([nonce, sealed]).toString('base64');
}

export function canaryOpens(kek: Buffer, value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  try {
    decrypt(kek, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), 'canary', 'canary');
    return true;
  } catch {
    return false;
  }
}
