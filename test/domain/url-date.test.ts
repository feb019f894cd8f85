import { describe, expect, it } from 'vitest';
import { publishDateOf } from '../../src/domain/publish-date.js';
import { dateFromUrl } from '../../src/domain/url-date.js';

describe('dateFromUrl', () => {
  it.each([
    ['https://news.example/2013/05/02/star-checks-into-rehab/', '2013-05-02'],
    ['https://paper.example/film/2013/aug/02/host-named', '2013-08-02'],
    ['https://wire.example/article/2013/8/2/us-host-idUS123', '2013-08-02'],
    ['https://site.example/story-2024-02-29.html', '2024-02-29'],
    ['https://site.example/news/2025-03-17/envoys-meet?utm=2019-01-01', '2025-03-17'],
  ])('%s names %s', (url, day) => {
    expect(dateFromUrl(url)).toBe(`${day}T00:00:00.000Z`);
  });

  it.each([
    ['an archive month, not a day', 'https://deadline.example/2013/08/host-named/'],
    ['a year alone', 'https://site.example/2013/host-named'],
    ['a day that does not exist', 'https://site.example/2013/02/30/story'],
    ['a date only in the query', 'https://site.example/story?date=2013-05-02'],
    ['an id made of digits', 'https://site.example/a/20130502123/story'],
    ['before news feeds', 'https://site.example/1985/05/02/story'],
    ['no address', null],
    ['not an address', 'not a url /2013/05/02/'],
  ])('%s gives no day', (_why, url) => {
    expect(dateFromUrl(url)).toBeNull();
  });
});

describe('publishDateOf with the item address', () => {
  const fetchedAt = '2026-12-07T10:00:00.000Z';
  const url = 'https://news.example/2026/12/01/talks-resume/';

  it('keeps a believable feed date over the address', () => {
    expect(publishDateOf('2026-12-02T08:00:00Z', fetchedAt, url).publishedAt).toBe('2026-12-02T08:00:00.000Z');
  });

  it('takes the day the address names when the feed gives no date', () => {
    expect(publishDateOf(undefined, fetchedAt, url)).toEqual({
      publishedAt: '2026-12-01T00:00:00.000Z',
      claimed: null,
      problem: null,
    });
  });

  it('takes the address day for an impossible date and still reports the problem', () => {
    const d = publishDateOf('Thu, 01 Jan 1970 00:00:00 GMT', fetchedAt, url);
    expect(d.publishedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(d.problem).toMatch(/before 1990/);
    expect(d.claimed).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('uses the fetch time when the address names no day, or a day after the fetch', () => {
    expect(publishDateOf(undefined, fetchedAt, 'https://news.example/talks-resume').publishedAt).toBe(fetchedAt);
    expect(publishDateOf(undefined, fetchedAt, 'https://news.example/2026/12/08/tomorrow').publishedAt).toBe(fetchedAt);
  });
});
