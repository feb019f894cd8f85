import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_USAGE, type DigestCommandIo, runDigestCommand } from '../../src/cli/digest-command.js';
import { UserError } from '../../src/cli/errors.js';
import type { Digest } from '../../src/domain/types.js';
import { FIXTURE_ARTICLES, FIXTURE_REJECTED } from '../fixtures/articles.js';
import { ARTICLE_FIELDS, DIGEST_FIELDS, STORY_FIELDS, SUMMARY_FIELDS } from '../fixtures/digest-contract.js';

const TOPICS = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));
const FIXED_NOW = '2025-03-21T06:30:00.000Z';
const FIXTURE_IDS = FIXTURE_ARTICLES.map((a) => a.id).sort();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function recordingIo(): { io: DigestCommandIo; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: DigestCommandIo = {
    stdout: (text) => {
      stdout.push(text);
    },
    stderr: (text) => {
      stderr.push(text);
    },
    now: () => FIXED_NOW,
    defaultTopicsPath: TOPICS,
  };
  return { io, stdout, stderr };
}

async function run(argv: readonly string[]): Promise<Run> {
  const { io, stdout, stderr } = recordingIo();
  const code = await runDigestCommand(argv, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** The UserError a run throws; fails the test when it returns instead, or throws anything else. */
async function failure(argv: readonly string[]): Promise<{ error: UserError; stdout: string }> {
  const { io, stdout } = recordingIo();
  try {
    const code = await runDigestCommand(argv, io);
    throw new Error(`expected a UserError, but the command returned ${code}`);
  } catch (error) {
    if (error instanceof UserError) return { error, stdout: stdout.join('') };
    throw error;
  }
}

function parseDigest(stdout: string): Digest {
  return JSON.parse(stdout) as Digest;
}

/** Every article id that came out of a digest, accepted or rejected. */
function idsIn(digest: Digest): string[] {
  return [...digest.articles.map((a) => a.id), ...digest.rejected.map((r) => r.id)].sort();
}

let dir: string;
let jsonlPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsdigest-cli-'));
  jsonlPath = join(dir, 'articles.jsonl');
  await writeFile(jsonlPath, `${FIXTURE_ARTICLES.map((a) => JSON.stringify(a)).join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('digest --format json', () => {
  it('prints the digest contract and nothing on stderr', async () => {
    const result = await run(['--input', jsonlPath, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const digest = parseDigest(result.stdout);

    expect(Object.keys(digest)).toEqual(expect.arrayContaining([...DIGEST_FIELDS]));
    expect(digest.articles.length).toBeGreaterThan(0);
    for (const article of digest.articles) {
      expect(Object.keys(article)).toEqual(expect.arrayContaining([...ARTICLE_FIELDS]));
    }
    expect(digest.stories.length).toBeGreaterThanOrEqual(3);
    for (const story of digest.stories) {
      expect(Object.keys(story)).toEqual(expect.arrayContaining([...STORY_FIELDS]));
      expect(story.summary.length).toBeGreaterThan(0);
      for (const sentence of story.summary) {
        expect(Object.keys(sentence)).toEqual(expect.arrayContaining([...SUMMARY_FIELDS]));
        expect(story.articles).toContain(sentence.articleId);
      }
    }
    for (const rejection of digest.rejected) {
      expect(Object.keys(rejection)).toEqual(expect.arrayContaining(['id', 'reason']));
    }

    // every input article comes out once, accepted or rejected, and the junk pages are the rejected ones
    expect(idsIn(digest)).toEqual(FIXTURE_IDS);
    expect(digest.rejected.map((r) => r.id).sort()).toEqual(Object.keys(FIXTURE_REJECTED).sort());
    for (const article of digest.articles) {
      expect(article.storyId !== null || article.duplicateOf !== null, article.id).toBe(true);
    }
  });

  it('uses io.now for generatedAt when --now is not given', async () => {
    const digest = parseDigest((await run(['--input', jsonlPath, '--format', 'json'])).stdout);
    expect(digest.generatedAt).toBe(FIXED_NOW);
  });

  it('takes generatedAt from --now', async () => {
    const result = await run(['--input', jsonlPath, '--format', 'json', '--now', '2025-03-20T12:34:56Z']);
    expect(result.code).toBe(0);
    expect(Date.parse(parseDigest(result.stdout).generatedAt)).toBe(Date.parse('2025-03-20T12:34:56Z'));
  });
});

describe('digest --format markdown', () => {
  it('has a numbered heading per story and [n] references that point at listed sources', async () => {
    const digest = parseDigest((await run(['--input', jsonlPath, '--format', 'json', '--now', FIXED_NOW])).stdout);
    const result = await run(['--input', jsonlPath, '--format', 'markdown', '--now', FIXED_NOW]);
    expect(result.code).toBe(0);
    const markdown = result.stdout;

    expect(markdown.startsWith('# News digest\n')).toBe(true);
    const headings = markdown.split('\n').filter((line) => line.startsWith('## ') && line !== '## Rejected');
    expect(headings).toEqual(digest.stories.map((story, i) => `## ${i + 1}. ${story.title}`));

    const sections = markdown.split(/^## /m).slice(1, digest.stories.length + 1);
    expect(sections).toHaveLength(digest.stories.length);
    for (const section of sections) {
      const lines = section.split('\n');
      const listed = lines.flatMap((line) => /^- \[(\d+)\] /.exec(line)?.[1] ?? []);
      const cited = lines
        .filter((line) => !line.startsWith('- '))
        .flatMap((line) => [...line.matchAll(/\S \[(\d+)\]/g)].map((m) => m[1] ?? ''));
      expect(cited.length, section).toBeGreaterThan(0);
      for (const ref of cited) expect(listed, `[${ref}] in\n${section}`).toContain(ref);
    }
  });
});

describe('digest --format text', () => {
  it('has every story and no markdown syntax', async () => {
    const digest = parseDigest((await run(['--input', jsonlPath, '--format', 'json'])).stdout);
    const result = await run(['--input', jsonlPath, '--format', 'text']);
    expect(result.code).toBe(0);
    const text = result.stdout;

    expect(text.startsWith('NEWS DIGEST\n')).toBe(true);
    digest.stories.forEach((story, i) => {
      expect(text).toContain(`${i + 1}. ${story.title.split(' ').slice(0, 4).join(' ')}`);
    });
    expect(text).toMatch(/\S \[\d+\]/);
    expect(text).not.toMatch(/^\s*#/m); // headings
    expect(text).not.toContain('**'); // bold
    expect(text).not.toMatch(/\]\(/); // links
    expect(text).not.toMatch(/<https?:/); // autolinks
    expect(text).not.toMatch(/\\[[\]*_`<>#\\-]/); // markdown escapes
  });
});

describe('digest input', () => {
  it('reports a bad .jsonl line on stderr as file.jsonl:LINE and digests the rest', async () => {
    const lines = FIXTURE_ARTICLES.map((a) => JSON.stringify(a));
    lines.splice(2, 0, '{"title": "no id here"}'); // line 3
    lines.splice(5, 0, '{oops'); // line 6
    const path = join(dir, 'mixed.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);

    const result = await run(['--input', path, '--format', 'json']);
    expect(result.code).toBe(0);
    const problems = result.stderr.trimEnd().split('\n');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^newsdigest: skipped mixed\.jsonl:3: id: missing$/);
    expect(problems[1]).toMatch(/^newsdigest: skipped mixed\.jsonl:6: not valid JSON/);
    expect(idsIn(parseDigest(result.stdout))).toEqual(FIXTURE_IDS);
  });

  it('reads a directory of .txt files, one article each, named by file', async () => {
    const txtDir = join(dir, 'txt');
    await mkdir(txtDir);
    for (const article of FIXTURE_ARTICLES) {
      await writeFile(join(txtDir, `${article.id}.txt`), article.text ?? '');
    }
    await writeFile(join(txtDir, 'notes.md'), 'not an article: only .txt and .html files are read');

    const result = await run(['--input', txtDir, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const digest = parseDigest(result.stdout);
    expect(idsIn(digest)).toEqual(FIXTURE_IDS);
    expect(digest.stories.length).toBeGreaterThanOrEqual(3);
  });
});

describe('digest errors', () => {
  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${DIGEST_USAGE}\n`);
    expect(result.stderr).toBe('');
  });

  it('a missing --input is a usage error (exit 2) that shows the usage', async () => {
    const { error, stdout } = await failure(['--format', 'json']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/--input is required/);
    expect(error.message).toContain(DIGEST_USAGE);
    expect(stdout).toBe('');
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const { error } = await failure(['--input', jsonlPath, '--colour']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('--colour');
    expect(error.message).toContain(DIGEST_USAGE);
  });

  it.each([
    {
      name: 'an unknown --format',
      args: ['--format', 'html'],
      message: /--format must be one of json, markdown, text, got "html"/,
    },
    {
      name: '--now that is not a date',
      args: ['--now', 'yesterday'],
      message: /--now must be an ISO date.*"yesterday"/,
    },
    {
      name: 'an unknown --tz',
      args: ['--tz', 'Mars/Olympus_Mons'],
      message: /--tz must be an IANA time zone.*"Mars\/Olympus_Mons"/,
    },
  ])('$name is a usage error (exit 2)', async ({ args, message }) => {
    const { error, stdout } = await failure(['--input', jsonlPath, ...args]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(stdout).toBe('');
  });

  it('a missing input path is a UserError naming the path', async () => {
    const missing = join(dir, 'no-such-file.jsonl');
    const { error, stdout } = await failure(['--input', missing]);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/does not exist/);
    expect(stdout).toBe('');
  });

  it('input where every line is garbage fails (exit 1) after naming each line', async () => {
    const garbage = join(dir, 'garbage.jsonl');
    await writeFile(garbage, '{oops\n[1, 2]\n{"title": "no id"}\n');
    const { io, stderr } = recordingIo();
    const error = await runDigestCommand(['--input', garbage], io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
    expect((error as UserError).message).toBe(`no articles could be read from ${garbage} (3 problems above)`);
    expect(stderr.join('').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('an empty directory fails (exit 1) saying what an input looks like', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const { error, stdout } = await failure(['--input', empty]);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^no articles could be read from .*empty \(a directory needs \.txt or \.html files/);
    expect(stdout).toBe('');
  });

  it('a topics file with a bad line is a UserError naming the file and line', async () => {
    const topics = join(dir, 'bad-topics.yaml');
    await writeFile(
      topics,
      ['topics:', '  - name: Canal works', '    terms: { dredging: 2 }', '    threshold: high', ''].join('\n'),
    );
    const { error, stdout } = await failure(['--input', jsonlPath, '--topics', topics]);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(topics)}:4: topics\\[0\\]\\.threshold: `, 'm'));
    expect(error.message).toContain('"high"');
    expect(stdout).toBe('');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
