// The editor commands in the /digest language: what parses, and the usage line every malformed one gets.
import { describe, expect, it } from 'vitest';
import { parseDigestQuery } from '../../src/domain/digest-query.js';

const NOW = new Date('2024-03-02T09:00:00Z');
const parse = (text: string) => parseDigestQuery(text, NOW);

describe('editor commands', () => {
  it.each([
    ['feeds', { kind: 'feeds', private: true }],
    ['TOPICS', { kind: 'topics', private: true }],
    ['subscribe https://example.org/rss.xml', { kind: 'subscribe', url: 'https://example.org/rss.xml', private: true }],
    // Slack's formatted link, with and without a label
    [
      'subscribe <https://example.org/rss|example.org/rss>',
      { kind: 'subscribe', url: 'https://example.org/rss', private: true },
    ],
    ['subscribe <https://example.org/rss>', { kind: 'subscribe', url: 'https://example.org/rss', private: true }],
    ['unsubscribe Daily Planet', { kind: 'unsubscribe', feed: 'Daily Planet', private: true }],
    ['mute source:"Daily Planet"', { kind: 'mute', source: 'Daily Planet', private: true }],
    ['unmute source:reuters', { kind: 'unmute', source: 'reuters', private: true }],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['subscribe', 'usage: /digest subscribe https://example.com/feed.xml'],
    ['subscribe a b', 'usage: /digest subscribe'],
    ['subscribe not-a-url', '"not-a-url" is not a URL; usage: /digest subscribe'],
    // an address as a browser's address bar shows it: the scheme is missing
    [
      'subscribe news.example/world/feed.xml',
      '"news.example/world/feed.xml" is not a URL: did you mean https://news.example/world/feed.xml?; usage:',
    ],
    ['subscribe javascript:alert(1)', 'javascript: URLs are not feeds'],
    ['subscribe https://example.org/rss\u0000', 'a URL cannot hold control characters'],
    ['subscribe https://u:p@example.org/rss', 'a URL with a user name or password cannot be subscribed from chat'],
    [`subscribe https://example.org/${'a'.repeat(2_100)}`, 'that URL is too long'],
    ['unsubscribe', 'usage: /digest unsubscribe NAME'],
    ['mute reuters', 'usage: /digest mute source:NAME'],
    ['mute source:', 'usage: /digest mute source:NAME'],
    [`mute source:${'x'.repeat(101)}`, 'usage: /digest mute source:NAME'],
    ['unmute', 'usage: /digest unmute source:NAME'],
    ['feeds now', 'usage: /digest feeds'],
    ['subscribe "https://example.org', 'a quote is not closed'],
  ])('%j gets a usage message', (text, message) => {
    const q = parse(text);
    expect(q.kind).toBe('error');
    expect(q.kind === 'error' && q.message).toContain(message);
  });

  it('leaves searches that merely contain the words alone', () => {
    expect(parse('mute swan since:3d').kind).toBe('error');
    expect(parse('swans mute').kind).toBe('search');
    expect(parse('new feeds law').kind).toBe('search');
  });
});
