import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 's'.repeat(40);
  const body = JSON.stringify({ kind: 'escalation_2', issueId: 'i1' });
  const now = 1_800_000_000;
  it('a receiver verifies what we signed', () =>
    expect(verifyWebhook(secret, body, signWebhook(secret, body, now), 300, now)).toBe(true));
  it('another body fails', () =>
    expect(verifyWebhook(secret, body + ' ', signWebhook(secret, body, now), 300, now)).toBe(false));
  it('another secret fails', () =>
    expect(verifyWebhook('x'.repeat(40), body, signWebhook(secret, body, now), 300, now)).toBe(false));
  it('an old timestamp is a replay', () =>
    expect(verifyWebhook(secret, body, signWebhook(secret, body, now - 301), 300, now)).toBe(false));
  it('a forged timestamp breaks the signature', () =>
    expect(
      verifyWebhook(
        secret,
        body,
        signWebhook(secret, body, now - 1000).replace(`t=${now - 1000}`, `t=${now}`),
        300,
        now,
      ),
    ).toBe(false));
  it.each([undefined, '', 't=abc,v1=00', 'v1=00'])('a malformed header %p fails', (header) =>
    expect(verifyWebhook(secret, body, header, 300, now)).toBe(false),
  );
});
