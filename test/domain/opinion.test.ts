import { describe, expect, it } from 'vitest';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { buildDigest } from '../../src/domain/digest.js';
import { opinionLabel } from '../../src/domain/opinion.js';

describe('opinionLabel', () => {
  it.each([
    ['a title prefix', 'Opinion: Five hours in the Kremlin and nothing to show for it', null, [], 'titled "Opinion"'],
    ['an editorial prefix', 'Editorial | Europe must not wait for Washington', null, [], 'titled "Editorial"'],
    [
      'a section label above the text',
      'Five hours in the Kremlin',
      null,
      ['Opinion', 'The envoy met the president.'],
      'labelled "Opinion"',
    ],
    [
      'a disclaimer',
      'Five hours in the Kremlin',
      null,
      ['The envoy met the president.', "The views expressed here are the author's own."],
      '"The views expressed here are the author\'s own."',
    ],
    [
      'the section in the address',
      'Five hours in the Kremlin',
      'https://capitol.example/opinion/2026/12/03/five-hours',
      [],
      'in the opinion section of its site',
    ],
  ])('reads %s', (_what, title, url, lines, label) => {
    expect(opinionLabel(title, url, lines)).toBe(label);
  });

  it.each([
    ['analysis (reporting with context)', 'Analysis: What the envoy brought back from Moscow', null, []],
    [
      'a report that mentions opinion',
      'Court rules on ferry strike',
      null,
      ["In the court's opinion, the strike was legal, the judge wrote."],
    ],
    [
      'an opinion poll in the address',
      'Poll shows support for talks',
      'https://news.example/politics/opinion-poll-shows-support',
      [],
    ],
    ['a label deep in the page', 'Talks resume', null, ['One.', 'Two.', 'Three.', 'Four.', 'Opinion']],
  ])('leaves %s alone', (_what, title, url, lines) => {
    expect(opinionLabel(title, url, lines)).toBeNull();
  });
});

const WIRE = {
  id: 'wire',
  source: 'Wire',
  title: 'Envoy holds five-hour talks with president in Moscow',
  publishedAt: '2026-12-01T19:00:00Z',
  text: [
    'MOSCOW (Wire) - The US envoy held five hours of talks with the Russian president in the Kremlin on Tuesday, the latest attempt to broker an end to the war.',
    'A Kremlin aide said the meeting was useful and constructive but that no compromise had been found on territory.',
    'The envoy flew on to Berlin, where he is due to brief European officials on Wednesday.',
  ].join('\n'),
};

const COLUMN = {
  id: 'column',
  source: 'Capitol Report',
  url: 'https://capitol.example/opinion/2026/12/02/five-hours',
  title: 'Five hours of talks in the Kremlin and nothing to show for it',
  publishedAt: '2026-12-02T08:00:00Z',
  text: [
    "The envoy's five hours of talks with the Russian president in the Kremlin on Tuesday produced warm words and no movement on territory, the one question that matters.",
    'Each round of talks gives Moscow time to press its offensive, and Europe is left to learn the results second-hand in Berlin on Wednesday.',
    'Washington should set a deadline for the talks and tie it to sanctions that bite.',
  ].join('\n'),
};

describe('an opinion piece in a story', () => {
  it('is a member and a source, but neither the best source nor quoted, whichever came first', () => {
    for (const inputs of [
      [WIRE, COLUMN],
      [COLUMN, WIRE],
    ]) {
      const d = buildDigest(inputs, { topics: compileTopicDefinitions([]), now: '2026-12-03T00:00:00Z' });
      const story = d.stories.find((s) => s.articles.includes('wire'));
      expect(story?.articles).toContain('column');
      expect(story?.bestSource).toBe('wire');
      expect(story?.summary.map((s) => s.articleId)).not.toContain('column');
      expect(d.articles.find((a) => a.id === 'column')?.warnings.map((w) => w.kind)).toContain('opinion');
    }
  });
});
