import { refusedAddressReason, WebhookAllowList } from '@duban/common';
import {
  resolveWebhookTarget,
  WebhookTargetRefused,
  type ResolveHost,
} from '../apps/worker/src/notifications/webhook-target';

const NONE = WebhookAllowList.parse(undefined);
/** A resolver with fixed answers: the DNS answer is the input under test here, not the network. */
const answers =
  (table: Record<string, string[]>): ResolveHost =>
  async (hostname) =>
    (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook SSRF guard: which addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.8.9.10', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.254', /carrier-grade NAT/],
    ['169.254.169.254', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['169.254.1.1', /link-local/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique local/],
    ['fd12:3456::1', /unique local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:a9fe:a9fe', /metadata/],
    ['64:ff9b::10.0.0.1', /private/],
  ])('refuses %s', (address, reason) => {
    expect(refusedAddressReason(address)).toMatch(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(refusedAddressReason(address)).toBeNull();
    },
  );

  it('an allow-list names hosts, addresses and ranges, and refuses a malformed entry', () => {
    const list = WebhookAllowList.parse(' 127.0.0.1, Hooks.Internal ,10.20.0.0/16,[::1]');
    expect(list.allowsName('hooks.internal')).toBe(true);
    expect(list.allowsName('other.internal')).toBe(false);
    expect(list.allowsAddress('127.0.0.1')).toBe(true);
    expect(list.allowsAddress('127.0.0.2')).toBe(false);
    expect(list.allowsAddress('10.20.3.4')).toBe(true);
    expect(list.allowsAddress('10.21.0.1')).toBe(false);
    expect(list.allowsAddress('::1')).toBe(true);
    expect(() => WebhookAllowList.parse('http://x/')).toThrow(/neither a host name/);
    expect(() => WebhookAllowList.parse('10.0.0.0/40')).toThrow(/neither a host name/);
  });

  it('a host name resolving to a private address is refused, naming the host and the address, not the URL path', async () => {
    const resolve = answers({ 'hooks.example.com': ['10.0.0.5'] });
    const refusal = resolveWebhookTarget('https://hooks.example.com/robot/send?access_token=SECRET', NONE, resolve);
    await expect(refusal).rejects.toBeInstanceOf(WebhookTargetRefused);
    await expect(refusal).rejects.toThrow(/hooks\.example\.com refused: 10\.0\.0\.5 is a private/);
    await expect(refusal).rejects.not.toThrow(/SECRET/);
  });

  it('every resolved address is checked: one internal address among public ones refuses the host', async () => {
    const resolve = answers({ 'mixed.example.com': ['93.184.216.34', '169.254.169.254'] });
    await expect(resolveWebhookTarget('http://mixed.example.com/', NONE, resolve)).rejects.toThrow(/metadata/);
  });

  it('the request connects to the checked address; an allow-listed name may resolve to a private one', async () => {
    const resolve = answers({ 'hooks.example.com': ['93.184.216.34'], 'hooks.internal': ['10.0.0.7'] });
    await expect(resolveWebhookTarget('https://hooks.example.com/x', NONE, resolve)).resolves.toMatchObject({
      address: '93.184.216.34',
      family: 4,
    });
    const allowed = WebhookAllowList.parse('hooks.internal');
    await expect(resolveWebhookTarget('http://hooks.internal/x', allowed, resolve)).resolves.toMatchObject({
      address: '10.0.0.7',
    });
  });

  it('literal addresses, the real resolver on "localhost" and non-HTTP schemes are refused without an allow-list', async () => {
    await expect(resolveWebhookTarget('http://[::1]:8080/', NONE)).rejects.toThrow(/::1 is a loopback/);
    await expect(resolveWebhookTarget('http://localhost:8080/', NONE)).rejects.toThrow(/localhost refused/);
    await expect(resolveWebhookTarget('file:///etc/passwd', NONE)).rejects.toThrow(/http or https/);
    await expect(
      resolveWebhookTarget('http://127.0.0.1:8080/', WebhookAllowList.parse('127.0.0.1')),
    ).resolves.toMatchObject({ address: '127.0.0.1' });
  });

  it('a name that does not resolve is an ordinary (retryable) failure, not a refusal', async () => {
    const failure = resolveWebhookTarget('http://nowhere.invalid/', NONE, async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    });
    await expect(failure).rejects.toThrow(/could not be resolved \(ENOTFOUND\)/);
    await expect(failure).rejects.not.toBeInstanceOf(WebhookTargetRefused);
  });
});
