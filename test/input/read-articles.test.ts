import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, readArticles } from '../../src/input/read-articles.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-read-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function jsonl(name: string, lines: string[], eol = '\n'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.join(eol));
  return path;
}

describe('readArticles from .jsonl', () => {
  it('reads good lines and skips blank ones', async () => {
    const path = await jsonl('batch.jsonl', [
      JSON.stringify({ id: 'a1', title: 'Ferry fares rise', text: 'Fares rise in May.', source: 'Harbour Post' }),
      '',
      '   ',
      JSON.stringify({
        id: 'a2',
        html: '<p>Hi</p>',
        url: 'https://example.test/a2',
        publishedAt: '2024-04-02T08:00:00Z',
      }),
    ]);
    expect(await readArticles(path)).toEqual({
      articles: [
        { id: 'a1', title: 'Ferry fares rise', text: 'Fares rise in May.', source: 'Harbour Post' },
        { id: 'a2', html: '<p>Hi</p>', url: 'https://example.test/a2', publishedAt: '2024-04-02T08:00:00.000Z' },
      ],
      problems: [],
    });
  });

  const bad: { name: string; line: string; message: RegExp }[] = [
    { name: 'bad JSON', line: '{"id": "x", ', message: /not valid JSON/ },
    { name: 'missing id', line: '{"title": "No id here"}', message: /^id: missing$/ },
    { name: 'id of the wrong type', line: '{"id": true}', message: /^id: must be a string or a number, got boolean$/ },
    { name: 'blank id', line: '{"id": "  "}', message: /^id: empty$/ },
    { name: 'not an object', line: '["a"]', message: /expected a JSON object, got an array/ },
    {
      name: 'a field of the wrong type',
      line: '{"id": "t", "text": 12}',
      message: /^text: expected a string, got number$/,
    },
  ];
  it.each(bad)('reports $name with its line number and goes on', async ({ line, message }) => {
    const path = await jsonl('mixed.jsonl', ['{"id": "ok1", "text": "One."}', line, '{"id": "ok2", "text": "Two."}']);
    const result = await readArticles(path);
    expect(result.articles.map((a) => a.id)).toEqual(['ok1', 'ok2']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.where).toBe('mixed.jsonl:2');
    expect(result.problems[0]?.message).toMatch(message);
  });

  it('turns numeric ids into strings, treats nulls as absent and ignores unknown fields', async () => {
    const path = await jsonl('shapes.ndjson', [
      '{"id": 42, "title": null, "text": "Body.", "url": null, "source": null, "cluster": 7, "extra": {"x": 1}}',
    ]);
    expect(await readArticles(path)).toEqual({ articles: [{ id: '42', text: 'Body.' }], problems: [] });
  });

  it('reads `date` when publishedAt is absent', async () => {
    const path = await jsonl('eval.jsonl', [
      '{"id": "d1", "text": "x", "date": "2019-03-01"}',
      '{"id": "d2", "text": "x", "date": "2019-03-01", "publishedAt": "2020-01-01T00:00:00Z"}',
      '{"id": "d3", "text": "x", "date": null, "publishedAt": null}',
    ]);
    const { articles } = await readArticles(path);
    expect(articles.map((a) => a.publishedAt)).toEqual([
      '2019-03-01T00:00:00.000Z',
      '2020-01-01T00:00:00.000Z',
      undefined,
    ]);
    expect(articles[2]).not.toHaveProperty('publishedAt');
  });

  it('keeps an article with an unreadable date, without the date', async () => {
    const path = await jsonl('dates.jsonl', ['{"id": "u", "text": "x", "publishedAt": "last Tuesday"}']);
    const result = await readArticles(path);
    expect(result.articles).toEqual([{ id: 'u', text: 'x' }]);
    expect(result.problems).toEqual([
      { where: 'dates.jsonl:1', message: 'publishedAt "last Tuesday" is not a date; article kept without one' },
    ]);
  });

  it('keeps an article with neither text nor html for the builder to reject', async () => {
    const path = await jsonl('empty.jsonl', ['{"id": "e", "title": "Only a title"}']);
    expect((await readArticles(path)).articles).toEqual([{ id: 'e', title: 'Only a title' }]);
  });

  it('keeps the first of two lines with the same id', async () => {
    const path = await jsonl('dupes.jsonl', [
      '{"id": "x", "text": "first"}',
      '{"id": "y", "text": "y"}',
      '{"id": "x", "text": "second"}',
    ]);
    const result = await readArticles(path);
    expect(result.articles).toEqual([
      { id: 'x', text: 'first' },
      { id: 'y', text: 'y' },
    ]);
    expect(result.problems).toEqual([
      { where: 'dupes.jsonl:3', message: 'duplicate id "x" (first seen on line 1); line skipped' },
    ]);
  });

  it('strips a byte-order mark and reads CRLF line ends with correct line numbers', async () => {
    const path = await jsonl(
      'windows.jsonl',
      ['\ufeff{"id": "w1", "text": "A."}', '', '{oops', '{"id": "w2", "text": "B."}'],
      '\r\n',
    );
    const result = await readArticles(path);
    expect(result.articles).toEqual([
      { id: 'w1', text: 'A.' },
      { id: 'w2', text: 'B.' },
    ]);
    expect(result.problems.map((p) => p.where)).toEqual(['windows.jsonl:3']);
  });
});

describe('readArticles from a directory', () => {
  it('reads .txt and .html files sorted by name and ignores the rest', async () => {
    await writeFile(join(dir, 'b-note.txt'), '\ufeffTram line opens\r\nThe new tram line opened today.\r\n');
    await writeFile(
      join(dir, 'a-page.HTML'),
      '<html><head><title>Market hall reopens | Town Crier</title>' +
        '<meta property="og:site_name" content="Town Crier">' +
        '<link rel="canonical" href="https://crier.example/market">' +
        '<meta property="article:published_time" content="2024-06-01T12:00:00Z"></head>' +
        '<body><p>The market hall reopened.</p></body></html>',
    );
    await writeFile(join(dir, 'c-bare.htm'), '<p>No metadata at all.</p>');
    await writeFile(join(dir, 'notes.md'), '# not an article');
    await writeFile(join(dir, 'data.jsonl'), '{"id": "ignored"}');
    await mkdir(join(dir, 'sub.txt'));
    await writeFile(join(dir, 'sub.txt', 'inner.txt'), 'not read: not recursive');

    const result = await readArticles(dir);
    expect(result.problems).toEqual([]);
    expect(result.articles).toEqual([
      {
        id: 'a-page',
        html: expect.stringContaining('<p>The market hall reopened.</p>'),
        title: 'Market hall reopens',
        publishedAt: '2024-06-01T12:00:00.000Z',
        source: 'Town Crier',
        url: 'https://crier.example/market',
      },
      { id: 'b-note', text: 'Tram line opens\nThe new tram line opened today.\n' },
      { id: 'c-bare', html: '<p>No metadata at all.</p>' },
    ]);
  });

  it('reports files that cannot be read and same-named files', async () => {
    await writeFile(join(dir, 'good.txt'), 'Fine.');
    await writeFile(join(dir, 'good.html'), '<p>Same id.</p>');
    await symlink(join(dir, 'nowhere.txt'), join(dir, 'broken.txt'));
    const result = await readArticles(dir);
    expect(result.articles).toEqual([{ id: 'good', html: '<p>Same id.</p>' }]);
    expect(result.problems).toEqual([
      { where: 'broken.txt', message: expect.stringMatching(/^could not read the file \(ENOENT/) },
      { where: 'good.txt', message: 'duplicate id "good" (already read from good.html); file skipped' },
    ]);
  });
});

describe('readArticles never reads a file without limit', () => {
  it('skips a .txt that is a symbolic link to a device, with a message', async () => {
    await writeFile(join(dir, 'good.txt'), 'Fine.');
    await symlink('/dev/zero', join(dir, 'zero.txt'));
    const result = await readArticles(dir);
    expect(result.articles).toEqual([{ id: 'good', text: 'Fine.' }]);
    expect(result.problems).toEqual([
      { where: 'zero.txt', message: 'not a regular file (a device, a pipe or a folder): skipped' },
    ]);
  });

  it('skips a file over the size limit and reads the rest', async () => {
    await writeFile(join(dir, 'big.html'), `<p>${'word '.repeat(300)}</p>`);
    await writeFile(join(dir, 'small.txt'), 'Short.');
    const result = await readArticles(dir, { maxFileBytes: 1_000 });
    expect(result.articles).toEqual([{ id: 'small', text: 'Short.' }]);
    expect(result.problems).toEqual([{ where: 'big.html', message: '1507 bytes, over the 1000 bytes limit: skipped' }]);
  });

  it('refuses a .jsonl over its limit', async () => {
    const path = await jsonl(
      'many.jsonl',
      Array.from({ length: 50 }, (_, i) => `{"id": "a${i}", "text": "x"}`),
    );
    await expect(readArticles(path, { maxLinesBytes: 500 })).rejects.toThrow(
      /many\.jsonl: .* over the 500 bytes limit/,
    );
  });
});

describe('readArticles with a path that is no input', () => {
  it('throws InputError naming a missing path', async () => {
    const missing = join(dir, 'nope.jsonl');
    const error = await readArticles(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ name: 'InputError', path: missing });
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('does not exist');
  });

  it('throws InputError for a file of another kind', async () => {
    const path = join(dir, 'articles.csv');
    await writeFile(path, 'id,text');
    await expect(readArticles(path)).rejects.toThrow(/articles\.csv is neither a directory .* nor a \.jsonl/);
  });
});
