// Keeps feed and page fetches away from the machine's own network (SSRF): a feed URL comes from a config file, a
// redirect comes from whoever runs the feed's server. Every URL is checked before its request, and the address a
// socket actually connects to is checked again inside the connector, so a name that resolves to a public address
// for the check and to 127.0.0.1 a moment later (DNS rebinding) is still refused.

import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AddressRefusedError } from './errors.js';
import { refusedAddressKind, unbracket } from './ip-ranges.js';

/** Every address a host name resolves to. Injected in tests to simulate any resolver answer. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface AddressGuardOptions {
  /**
   * `host:port` destinations allowed even though their address is local, e.g. `127.0.0.1:8080` for a test
   * server. Matches the URL's host and port, or a resolved address and the port.
   */
  readonly allow?: readonly string[];
  readonly resolve?: ResolveHost;
}

export interface GuardedAgentOptions {
  readonly connectTimeoutMs: number;
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

const defaultResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** `host:port` with IPv6 bracketed and the host lower-cased, the form allow-list entries are compared in. */
function destinationKey(host: string, port: string): string {
  const bare = unbracket(host).toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
}

function parseAllowEntry(entry: string): string {
  const match = /^(.+):(\d{1,5})$/.exec(entry.trim());
  const host = match?.[1];
  const port = match?.[2];
  if (host === undefined || port === undefined || Number(port) > 65535) {
    throw new TypeError(`Allow-list entry "${entry}" must be host:port (for example 127.0.0.1:8080 or [::1]:8080)`);
  }
  return destinationKey(host, String(Number(port)));
}

export class AddressGuard {
  readonly #allow: ReadonlySet<string>;
  readonly #resolve: ResolveHost;

  constructor(options: AddressGuardOptions = {}) {
    this.#allow = new Set((options.allow ?? []).map(parseAllowEntry));
    this.#resolve = options.resolve ?? defaultResolve;
  }

  /**
   * Resolves and checks a URL before it is requested; returns the parsed URL. Throws `AddressRefusedError` for a
   * scheme other than http(s) or any resolved address that is not public (unless allow-listed). DNS failures
   * propagate as the resolver's own error.
   */
  async check(input: string | URL): Promise<URL> {
    const text = String(input);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new AddressRefusedError(text, 'not a valid absolute URL');
    }
    if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
      throw new AddressRefusedError(text, `scheme ${url.protocol} is not allowed (only http and https)`);
    }
    const port = url.port || defaultPort(url.protocol);
    // An allow-listed name needs no lookup now; the connector resolves it when it connects.
    if (!this.#allow.has(destinationKey(url.hostname, port))) await this.#checkHost(url.href, url.hostname, port);
    return url;
  }

  /**
   * An undici Agent whose every connection re-resolves the host through the guard and connects only to the
   * checked addresses. Pass it as the `dispatcher` of every request the guard is meant to protect.
   */
  createAgent(options: GuardedAgentOptions): Agent {
    const connectors = new Map<string, buildConnector.connector>();
    return new Agent({
      connect: (connectOptions, callback) => {
        const port = connectOptions.port || defaultPort(connectOptions.protocol);
        let connector = connectors.get(port);
        if (connector === undefined) {
          connector = buildConnector({ timeout: options.connectTimeoutMs, lookup: this.#lookupFor(port) });
          connectors.set(port, connector);
        }
        connector(connectOptions, callback);
      },
    });
  }

  async #checkHost(url: string, hostname: string, port: string): Promise<readonly LookupAddress[]> {
    const host = unbracket(hostname);
    const family = isIP(host);
    if (family !== 0) {
      this.#checkAddress(url, host, port);
      return [{ address: host, family }];
    }
    if (this.#allow.has(destinationKey(host, port))) return this.#resolve(host);
    const addresses = await this.#resolve(host);
    if (addresses.length === 0) throw new AddressRefusedError(url, `${host} resolved to no address`);
    // One bad address refuses the host: the connector could pick any of them.
    for (const { address } of addresses) this.#checkAddress(url, address, port);
    return addresses;
  }

  #checkAddress(url: string, address: string, port: string): void {
    if (this.#allow.has(destinationKey(address, port))) return;
    const kind = refusedAddressKind(address);
    if (kind !== null) throw new AddressRefusedError(url, `${address} is a ${kind}`, address);
  }

  /** The `lookup` net.connect calls for host names (never for IP literals, which `check` has already judged). */
  #lookupFor(port: string): LookupFunction {
    return (hostname, options, callback) => {
      const where = destinationKey(hostname, port);
      this.#checkHost(where, hostname, port).then(
        (found) => {
          const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
          const usable = wanted === 0 ? found : found.filter((a) => a.family === wanted);
          const first = usable[0];
          if (options.all) callback(null, [...usable]);
          else if (first) callback(null, first.address, first.family);
          else callback(Object.assign(new Error(`No IPv${wanted} address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
      );
    };
  }
}
