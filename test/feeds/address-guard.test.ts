import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressGuard, type ResolveHost } from '../../src/feeds/address-guard.js';
import { AddressRefusedError } from '../../src/feeds/errors.js';
import { fetchText } from '../../src/feeds/http-fetch.js';
import { refusedAddressKind } from '../../src/feeds/ip-ranges.js';
import { body, type FeedServer, redirect, startFeedServer } from '../fakes/feed-server.js';

const RSS = '<rss version="2.0"><channel><title>t</title></channel></rss>';

/** A resolver with fixed answers; unknown names fail like getaddrinfo does. */
function resolver(table: Record<string, string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('refusedAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd00:abcd::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['fec0::1', 'site-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::7f00:1', 'NAT64 address of a loopback'],
    ['2002:c0a8:101::1', '6to4 address of a private'],
    ['localhost', 'not an IP address'],
  ])('%s is refused as %s', (address, kind) => {
    expect(refusedAddressKind(address)).toContain(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '[2606:4700::1]',
  ])('%s is public', (address) => {
    expect(refusedAddressKind(address)).toBeNull();
  });
});

describe('AddressGuard.check', () => {
  const guard = new AddressGuard({
    resolve: resolver({
      'news.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'metadata.example': ['169.254.169.254'],
      'mapped.example': ['::ffff:127.0.0.1'],
      'nowhere.example': [],
    }),
  });

  it('accepts a host whose every address is public', async () => {
    await expect(guard.check('https://news.example/feed.xml')).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['ftp://news.example/feed.xml', 'scheme ftp: is not allowed'],
    ['file:///etc/passwd', 'scheme file: is not allowed'],
    ['javascript:alert(1)', 'scheme javascript: is not allowed'],
    ['not a url', 'not a valid absolute URL'],
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://mixed.example/', '10.0.0.5 is a private address'],
    ['http://metadata.example/', 'link-local'],
    ['http://mapped.example/', 'IPv4-mapped'],
    ['http://nowhere.example/', 'resolved to no address'],
  ])('refuses %s', async (url, reason) => {
    const error = await guard.check(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect((error as AddressRefusedError).reason).toContain(reason);
    expect((error as AddressRefusedError).message).toContain('Refused to fetch');
  });

  it('lets DNS failures through as they are', async () => {
    await expect(guard.check('http://unknown.example/')).rejects.toThrow(/ENOTFOUND/);
  });

  it('allows exactly the allow-listed host:port, by URL host or by resolved address', async () => {
    const allowing = new AddressGuard({
      allow: ['127.0.0.1:8080', '[::1]:9090', 'feeds.local:8443'],
      resolve: resolver({ 'test.internal': ['127.0.0.1'], 'feeds.local': ['192.168.0.10'] }),
    });
    await expect(allowing.check('http://127.0.0.1:8080/feed')).resolves.toBeInstanceOf(URL);
    await expect(allowing.check('http://[::1]:9090/feed')).resolves.toBeInstanceOf(URL);
    await expect(allowing.check('http://test.internal:8080/feed')).resolves.toBeInstanceOf(URL);
    await expect(allowing.check('https://feeds.local:8443/feed')).resolves.toBeInstanceOf(URL);
    await expect(allowing.check('http://127.0.0.1:8081/feed')).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(allowing.check('http://127.0.0.1/feed')).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(allowing.check('http://[::1]:8080/feed')).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(allowing.check('https://feeds.local/feed')).rejects.toBeInstanceOf(AddressRefusedError);
  });

  it('rejects allow-list entries without a port', () => {
    expect(() => new AddressGuard({ allow: ['127.0.0.1'] })).toThrow(/must be host:port/);
  });
});

describe('guarded fetching', () => {
  const servers: FeedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function server(): Promise<FeedServer> {
    const started = await startFeedServer();
    servers.push(started);
    return started;
  }

  const refusal = (promise: Promise<unknown>): Promise<AddressRefusedError> =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(AddressRefusedError);
        return error as AddressRefusedError;
      },
    );

  it('refuses a loopback server that is not allow-listed', async () => {
    const local = await server();
    local.handle('/feed', body(RSS));
    await refusal(fetchText(local.url('/feed'), { guard: new AddressGuard(), userAgent: 'test' }));
    expect(local.requests).toHaveLength(0);
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const local = await server();
    local.handle('/feed', redirect('http://169.254.169.254/latest/meta-data/', 301));
    const guard = new AddressGuard({ allow: [local.hostPort] });
    const error = await refusal(fetchText(local.url('/feed'), { guard, userAgent: 'test' }));
    expect(error.url).toBe('http://169.254.169.254/latest/meta-data/');
    expect(error.reason).toContain('link-local');
  });

  it('refuses a redirect to another loopback port that is not allow-listed', async () => {
    const allowed = await server();
    const other = await server();
    other.handle('/secret', body(RSS));
    allowed.handle('/feed', redirect(other.url('/secret')));
    const guard = new AddressGuard({ allow: [allowed.hostPort] });
    const error = await refusal(fetchText(allowed.url('/feed'), { guard, userAgent: 'test' }));
    expect(error.reason).toContain('loopback');
    expect(other.requests).toHaveLength(0);
  });

  it('checks the address actually connected to, so DNS rebinding is refused', async () => {
    const local = await server();
    local.handle('/feed', body(RSS));
    let calls = 0;
    // Public for the pre-flight check, loopback by the time the socket connects.
    const rebinding: ResolveHost = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    };
    const guard = new AddressGuard({ resolve: rebinding });
    const error = await refusal(fetchText(`http://rebind.test:${local.port}/feed`, { guard, userAgent: 'test' }));
    expect(error.reason).toContain('checked at connect');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(local.requests).toHaveLength(0);
  });

  it('connects to an allow-listed address through a host name', async () => {
    const local = await server();
    local.handle('/feed', body(RSS));
    const guard = new AddressGuard({ allow: [local.hostPort], resolve: resolver({ 'feeds.test': ['127.0.0.1'] }) });
    const result = await fetchText(`http://feeds.test:${local.port}/feed`, { guard, userAgent: 'test' });
    expect(result.notModified).toBe(false);
    expect(local.requests[0]?.headers.host).toBe(`feeds.test:${local.port}`);
  });
});
