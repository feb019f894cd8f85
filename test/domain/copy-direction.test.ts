// Which of two near-identical reports is the copy: the later publication, whichever came in first. A wire's story
// reprinted by a paper whose feed is polled first must not make the wire the copy of the paper.
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../src/domain/story-engine.js';
import { compileTopics } from '../../src/domain/topics.js';
import type { ArticleInput } from '../../src/domain/types.js';

const BODY = [
  "MADRID (Wire) - Spain's parliament approved a law on Thursday that cuts the standard working week from 40 to 37.5 hours without a cut in pay, the first change to the legal limit in four decades.",
  'The law passed by 178 votes to 170 after the government won over a Catalan party with a promise of help for small businesses.',
  "Employers' groups said the change would cost companies 12 billion euros a year and hurt hiring in hospitality and farming. Unions called it a historic day.",
  'The shorter week will be phased in over two years, starting in January.',
].join('\n');

const wire: ArticleInput = {
  id: 'wire-1',
  source: 'Wire',
  title: 'Spain cuts working week to 37.5 hours',
  publishedAt: '2026-12-03T14:00:00Z',
  text: BODY,
};
const reprint: ArticleInput = {
  id: 'paper-1',
  source: 'Bay Courier',
  title: 'Spain approves 37.5-hour week',
  publishedAt: '2026-12-03T15:30:00Z',
  text: `${BODY}\nRead more: our Europe coverage`,
};

const engine = () => new StoryEngine({ topics: compileTopics([]) });

describe('the direction of a copy', () => {
  it('in one batch the later publication is the copy', () => {
    const [a, b] = engine().processBatch([reprint, wire], Date.parse('2026-12-03T16:00:00Z'));
    expect(a?.processed.duplicateOf).toBe('wire-1');
    expect(b?.processed.duplicateOf).toBeNull();
  });

  it('the earlier publication arriving after its reprint is no copy of it, and joins its story', () => {
    const e = engine();
    const [first] = e.processBatch([reprint], Date.parse('2026-12-03T15:40:00Z'));
    const [late] = e.processBatch([wire], Date.parse('2026-12-03T16:00:00Z'));
    expect(first?.processed.duplicateOf).toBeNull();
    expect(late?.processed.duplicateOf).toBeNull();
    expect(late?.processed.storyId).toBe(first?.processed.storyId);
  });

  it('a reprint arriving after the wire is its copy, as always', () => {
    const e = engine();
    e.processBatch([wire], Date.parse('2026-12-03T14:10:00Z'));
    const [copy] = e.processBatch([reprint], Date.parse('2026-12-03T16:00:00Z'));
    expect(copy?.processed.duplicateOf).toBe('wire-1');
  });
});
