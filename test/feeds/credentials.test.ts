// Feed URLs with user:password@: known everywhere by the URL with the password masked, fetched with an
// Authorization: Basic header that goes to the feed's own origin only.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { basicAuthorization, feedCredentials, splitFeedUrl } from '../../src/feeds/credentials.js';
import { FeedHttpStatusError } from '../../src/feeds/errors.js';
import { type FetchTextOptions, fetchText } from '../../src/feeds/http-fetch.js';
import { httpFeedFetcher, pollFeed } from '../../src/feeds/poll-feed.js';
import { body, type FeedServer, redirect, startFeedServer } from '../fakes/feed-server.js';

const USER = 'reader';
const PASSWORD = 'Feed0Secret/#?';
const ENCODED = encodeURIComponent(PASSWORD);
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Members</title></channel></rss>';

/** Serves `content` to a request with the right Basic credentials and 401 to any other. */
function basicOnly(content: string) {
  return (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.headers.authorization !== basicAuthorization({ username: USER, password: PASSWORD })) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' }).end('who are you?');
      return;
    }
    return body(content)(req, res);
  };
}

let server: FeedServer;
let other: FeedServer;
let options: FetchTextOptions;
let withPassword: (path: string) => string;

beforeAll(async () => {
  server = await startFeedServer();
  other = await startFeedServer();
  options = { guard: new AddressGuard({ allow: [server.hostPort, other.hostPort] }), userAgent: 'newsdigest-test' };
  withPassword = (path) => `http://${USER}:${ENCODED}@${server.hostPort}${path}`;
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const authorizations = (on: FeedServer, path: string) =>
  on.requests.filter((r) => r.path === path).map((r) => r.headers.authorization ?? null);

describe('splitFeedUrl', () => {
  it.each([
    ['https://feeds.example/rss', 'https://feeds.example/rss', null],
    [
      'https://u:p%40ss@feeds.example/rss?x=1',
      'https://u:***@feeds.example/rss?x=1',
      { username: 'u', password: 'p@ss' },
    ],
    ['https://t0ken@feeds.example/rss', 'https://***@feeds.example/rss', { username: 't0ken', password: '' }],
    ['https://mastodon.example:8443/@someone.rss', 'https://mastodon.example:8443/@someone.rss', null],
  ])('%s', (given, shown, credentials) => {
    const split = splitFeedUrl(given);
    expect(split.shown).toBe(shown);
    expect(split.credentials).toEqual(credentials);
    expect(split.url).not.toMatch(/@feeds/);
  });
});

describe('fetching a feed with credentials', () => {
  it("sends the URL's credentials as Authorization: Basic, not in the URL", async () => {
    server.handle('/members', basicOnly(RSS));
    const result = await fetchText(withPassword('/members'), options);
    expect(result.notModified ? '' : result.text).toContain('Members');
    expect(result.url).toBe(server.url('/members'));
    expect(authorizations(server, '/members')).toEqual([basicAuthorization({ username: USER, password: PASSWORD })]);
  });

  it('keeps them across a redirect within the origin, and never sends them to another origin', async () => {
    server.handle('/moved', redirect('/members'));
    server.handle('/away', redirect(other.url('/elsewhere')));
    other.handle('/elsewhere', body(RSS));
    await fetchText(withPassword('/moved'), options);
    expect(authorizations(server, '/members').at(-1)).toMatch(/^Basic /);
    await fetchText(withPassword('/away'), options);
    expect(authorizations(server, '/away')).toEqual([expect.stringMatching(/^Basic /)]);
    expect(authorizations(other, '/elsewhere')).toEqual([null]);
  });

  it('names the feed with the password masked when it fails', async () => {
    const error = await fetchText(`http://${USER}:wrong@${server.hostPort}/members`, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedHttpStatusError);
    expect(String(error)).toContain(`http://${USER}:***@${server.hostPort}/members answered HTTP 401`);
    expect(String(error)).not.toContain('wrong');
  });
});

describe('polling a feed configured with credentials', () => {
  const env = {};
  const config = () =>
    parseConfig(`feeds:\n  - url: "${withPassword('/members')}"\n`, 'newsdigest.yaml', env, {
      files: { exists: () => true, readText: () => 'topics:\n  - name: Any\n    terms: { any: 1 }\n' },
    });

  it('is known by its masked URL and fetched with the credentials beside it', async () => {
    const [feed] = config().feeds;
    if (feed === undefined) throw new Error('no feed');
    expect(feed.url).toBe(`http://${USER}:***@${server.hostPort}/members`);
    expect(feed.credentials).toEqual({ username: USER, password: PASSWORD });

    const fetch = httpFeedFetcher({ ...options, credentialsByFeed: feedCredentials(config().feeds) });
    const clock = { now: () => new Date('2024-03-10T10:00:00Z') };
    const polled = { url: feed.url, name: feed.name, intervalMs: 60_000 };
    const outcome = await pollFeed(polled, undefined, { fetch, clock });
    expect(outcome.kind).toBe('updated');
    expect(outcome.health.url).toBe(feed.url);
    expect(JSON.stringify(outcome.health)).not.toContain(ENCODED);
  });

  it('is refused with its password masked when it is not an http(s) URL', () => {
    const source = 'feeds:\n  - url: "ftp://reader:Ftp0Secret@files.example/rss"\n';
    const files = { exists: () => true, readText: () => 'topics:\n  - name: Any\n    terms: { any: 1 }\n' };
    const error = (() => {
      try {
        parseConfig(source, 'newsdigest.yaml', env, { files });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(String(error)).toContain('"ftp://reader:***@files.example/rss" is not an http:// or https:// URL');
    expect(String(error)).not.toContain('Ftp0Secret');
  });

  it('is not requested at all when its credentials were not handed over, and says so', async () => {
    const [feed] = config().feeds;
    if (feed === undefined) throw new Error('no feed');
    const before = server.requests.length;
    const clock = { now: () => new Date('2024-03-10T10:00:00Z') };
    const outcome = await pollFeed({ url: feed.url, name: feed.name, intervalMs: 60_000 }, undefined, {
      fetch: httpFeedFetcher(options),
      clock,
    });
    expect(outcome.kind).toBe('failed');
    expect(outcome.health.lastError).toContain('user name and password were not handed to the fetcher');
    expect(server.requests.length).toBe(before);
  });
});
