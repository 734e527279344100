import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The ledger's Ed25519 key pair, kept in DATA_DIR (the private half never leaves it). */
export const PRIVATE_KEY_FILE = 'audit-ed25519.key.pem';
export const PUBLIC_KEY_FILE = 'audit-ed25519.pub.pem';
/** public keys trusted besides this DATA_DIR's own: those of logs imported from elsewhere */
const PUBLIC_KEY_FILES = /^audit-ed25519(\.imported-[0-9a-f]{16})?\.pub\.pem$/;

export interface DigestSigner {
  /** first 16 hex digits of SHA-256 over the public key's DER (SPKI) */
  keyId: string;
  publicKeyPem: string;
  sign(message: string): string;
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown_key';

/** The public keys a verifier trusts, by key id. */
export class Keyring {
  private readonly keys = new Map<string, KeyObject>();

  constructor(pems: string[] = []) {
    for (const pem of pems) this.add(pem);
  }

  add(pem: string): string {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`an audit public key must be Ed25519, got ${key.asymmetricKeyType}`);
    const id = keyIdOf(key);
    this.keys.set(id, key);
    return id;
  }

  get size(): number {
    return this.keys.size;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  check(keyId: string, message: string, signature: string): SignatureCheck {
    const key = this.keys.get(keyId);
    if (!key) return 'unknown_key';
    try {
      return verify(null, Buffer.from(message), key, Buffer.from(signature, 'base64')) ? 'valid' : 'invalid';
    } catch {
      return 'invalid';
    }
  }
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function signerFromPrivateKey(privateKey: KeyObject): DigestSigner {
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
  };
}

/**
 * The ledger's signing key from DATA_DIR, generated on first use: written to a temporary file and
 * linked into place (link refuses an existing name), so processes starting together share one key.
 */
export function loadOrCreateSigningKey(dataDir: string): DigestSigner {
  const file = join(dataDir, PRIVATE_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(temp, 0o600);
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  const signer = signerFromPrivateKey(createPrivateKey(readFileSync(file)));
  const publicFile = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(publicFile)) writeFileSync(publicFile, signer.publicKeyPem);
  return signer;
}

/**
 * The keys an auditor verifies with: the PEM files given explicitly (the auditor's own copies),
 * else the public keys published in DATA_DIR.
 */
export function loadKeyring(options: { publicKeyFiles?: string[]; dataDir?: string }): Keyring {
  if (options.publicKeyFiles?.length) return new Keyring(options.publicKeyFiles.map((f) => readFileSync(f, 'utf8')));
  return new Keyring(options.dataDir ? trustedPublicKeyPems(options.dataDir) : []);
}

/** The public keys published in DATA_DIR: this deployment's own and those of logs imported into it. */
export function trustedPublicKeyPems(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((name) => PUBLIC_KEY_FILES.test(name))
    .sort()
    .map((name) => readFileSync(join(dataDir, name), 'utf8'));
}

/** Trusts the key of a log imported from another deployment (its digests were signed with it). */
export function trustImportedPublicKey(dataDir: string, pem: string): string {
  const keyId = new Keyring([pem]).keyIds[0];
  const file = join(dataDir, `audit-ed25519.imported-${keyId}.pub.pem`);
  if (!existsSync(join(dataDir, PUBLIC_KEY_FILE)) || readFileSync(join(dataDir, PUBLIC_KEY_FILE), 'utf8') !== pem)
    writeFileSync(file, pem);
  return keyId;
}
