import { generateKeyPairSync, sign } from 'node:crypto';
import { checkDigest, parseDigestClaim, signDigest, StreamHead } from './ledger-digest';
import { GENESIS_DIGEST, nextDigest } from './running-digest';
import { DigestSigner, Keyring, keyIdOf } from './signing-key';

function aSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
  };
}

const heads: StreamHead[] = [['issue-1', 3, 'a'.repeat(64)]];
const body = {
  position: 10,
  digest: 'b'.repeat(64),
  previousPosition: 4,
  events: 6,
  heads,
  recordedAt: '2026-11-25T00:00:00.000Z',
};

describe('signed ledger digests', () => {
  const signer = aSigner();
  const keyring = new Keyring([signer.publicKeyPem]);

  it('verifies with the key that signed it, also without its heads', () => {
    const digest = signDigest(body, signer);
    expect(checkDigest(digest, keyring)).toBe('valid');
    const { heads: _heads, ...kept } = digest;
    expect(checkDigest(kept, keyring)).toBe('valid');
  });

  it.each([
    ['the digest value', { digest: 'c'.repeat(64) }],
    ['the position', { position: 11 }],
    ['the time', { recordedAt: '2026-11-26T00:00:00.000Z' }],
    ['the heads', { heads: [['issue-1', 4, 'a'.repeat(64)]] as StreamHead[] }],
  ])('fails when %s was changed', (_what, change) => {
    expect(checkDigest({ ...signDigest(body, signer), ...change }, keyring)).toBe('invalid');
  });

  it("knows a stranger's key from a bad signature, and an unsigned claim from both", () => {
    const stranger = signDigest(body, aSigner());
    expect(checkDigest(stranger, keyring)).toBe('unknown_key');
    expect(checkDigest({ ...stranger, keyId: signer.keyId }, keyring)).toBe('invalid');
    expect(checkDigest({ position: 1, digest: 'd'.repeat(64) }, keyring)).toBe('unsigned');
  });
});

describe('parseDigestClaim', () => {
  const digest = 'e'.repeat(64);
  it.each([
    [`12:${digest}`, { position: 12, digest }],
    [JSON.stringify({ position: 12, digest, events: 3 }), { position: 12, digest, events: 3 }],
    [JSON.stringify({ digest: { position: 12, digest } }), { position: 12, digest }],
    [`  12:${digest}\n`, { position: 12, digest }],
  ])('reads %s', (text, claim) => {
    expect(parseDigestClaim(text)).toMatchObject(claim);
  });

  it.each([
    ['12:xyz'],
    ['{"position":-1,"digest":"' + digest + '"}'],
    ['{"position":1.5,"digest":"' + digest + '"}'],
    ['{"position":1,"digest":"E"}'],
    ['[]'],
    ['null'],
    [''],
  ])('refuses %s', (text) => {
    expect(() => parseDigestClaim(text)).toThrow(/digest/);
  });
});

describe('the running digest', () => {
  it('depends on the position as well as the hash, and on the order', () => {
    const h1 = '1'.repeat(64);
    const h2 = '2'.repeat(64);
    const inOrder = nextDigest(nextDigest(GENESIS_DIGEST, 1, h1), 2, h2);
    expect(nextDigest(nextDigest(GENESIS_DIGEST, 1, h2), 2, h1)).not.toBe(inOrder);
    expect(nextDigest(nextDigest(GENESIS_DIGEST, 1, h1), 3, h2)).not.toBe(inOrder);
    expect(inOrder).toMatch(/^[0-9a-f]{64}$/);
  });
});
