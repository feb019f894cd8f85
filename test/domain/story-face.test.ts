import { describe, expect, it } from 'vitest';
import { storyFace } from '../../src/domain/story-face.js';

interface M {
  title: string;
  centrality: number;
  notReporting?: boolean;
}

const face = (members: M[]) =>
  storyFace(members, {
    notReporting: (m) => m.notReporting === true,
    title: (m) => m.title,
    centrality: (m) => m.centrality,
  });

const HEADLINE = { title: 'Iran and US negotiators to meet again in Geneva after six-hour session', centrality: 0.3 };

describe('the story title', () => {
  it.each([
    ['a list', '5 things we learned from the first day of the Geneva talks'],
    ['a spelled-out list', 'Three takeaways from the Geneva talks'],
    ['an interview label', "Q&A: Iran's negotiator on what Tehran wants from Geneva"],
    ['a live page', 'Live: Iran and US negotiators meet in Geneva'],
    ['capitals', 'IRAN, US END FIRST DAY OF GENEVA TALKS WITH NO DEAL'],
    ['a question', 'Will Iran accept a cap on enrichment?'],
  ])('is a headline, not %s, even from a more central member; its article is the best source', (_shape, title) => {
    const result = face([{ title, centrality: 0.9 }, HEADLINE]);
    expect(result?.titled).toBe(HEADLINE);
    expect(result?.best).toBe(HEADLINE);
  });

  it('comes from original reporting: an opinion piece with a headline stays behind a list', () => {
    const list = { title: 'Five things we learned in Geneva', centrality: 0.2 };
    const column = { title: 'Geneva shows the limits of patience', centrality: 0.9, notReporting: true };
    const result = face([column, list]);
    expect(result?.best).toBe(list);
    expect(result?.titled).toBe(list);
    expect(result?.quoted).toEqual([list]);
  });

  it('falls back to a title that is no question, then to the best member', () => {
    const caps = { title: 'IRAN, US END FIRST DAY OF GENEVA TALKS WITH NO DEAL', centrality: 0.2 };
    const question = { title: 'What did Iran and the US agree in Geneva?', centrality: 0.9 };
    expect(face([question, caps])?.titled).toBe(caps);
    expect(face([question])?.titled).toBe(question);
  });

  it('keeps headlines that only start with a number or a short capital word', () => {
    const numbered = { title: '800 jobs to go as Northwind cuts its forecast', centrality: 0.9 };
    const acronym = { title: 'UN says aid convoy reached Gaza City', centrality: 0.9 };
    expect(face([numbered, HEADLINE])?.titled).toBe(numbered);
    expect(face([acronym, HEADLINE])?.titled).toBe(acronym);
  });
});
