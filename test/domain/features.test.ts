import { describe, expect, it } from 'vitest';
import { textFeatures } from '../../src/domain/features.js';
import { tokenize } from '../../src/domain/text.js';

const sentence = (text: string) => ({ text, tokens: tokenize(text) });

describe('textFeatures: when the text says its story is', () => {
  it('takes bare months from the first sentences only, where they date the story rather than its background', () => {
    const early = [sentence('The envoy returned to the capital for his August talks.')];
    const filler = Array.from({ length: 12 }, (_, i) => sentence(`Paragraph ${i} describes the harbour works.`));
    const late = [sentence('The plan was first drafted in November.')];
    expect(textFeatures('Envoy returns', [...early, ...filler, ...late]).months).toEqual(['aug']);
  });

  it('keeps the latest year an undated text names, and none for a dated one', () => {
    const body = [sentence('The champion first won the belt in 2008 and defended it in 2012 and 2011.')];
    expect(textFeatures('Champion defends belt', body).latestYear).toBe(2012);
    expect(textFeatures('Champion defends belt', body, Date.parse('2012-07-08T12:00:00Z')).latestYear).toBeNull();
  });

  it('resolves the lead days against the publish date and keeps them as words without one', () => {
    const lead = [sentence('The ferry strike began on Monday.')];
    expect(textFeatures('Ferry strike', lead).anchors).toEqual(['mon']);
    const dated = textFeatures('Ferry strike', lead, Date.parse('2025-03-12T10:00:00Z'));
    expect(dated.anchors).toEqual([]);
    expect(dated.days).toEqual([Math.floor(Date.parse('2025-03-10T00:00:00Z') / 86_400_000)]);
  });
});

describe('textFeatures: what the lead counts', () => {
  it('keeps numbers of the title and first two sentences with what they count, not ages, times or years', () => {
    const lead = [
      sentence('A magnitude 6.1 earthquake killed at least 12 people and three soldiers near Malatya.'),
      sentence('The 45-year-old mayor spoke at 10 am about the 2023 disaster.'),
      sentence('Later reports said 40 houses fell.'),
    ];
    expect(textFeatures('Quake kills 12', lead).counts).toEqual([
      'earthquak=6.1',
      'magnitud=6.1',
      'peopl=12',
      'soldier=3',
    ]);
  });

  it('reads only number words as counts, not words an object inherits ("constructor", "valueOf")', () => {
    const lead = [sentence('The constructor firm and valueOf analysts said two cranes fell.')];
    expect(textFeatures('Cranes fall', lead).counts).toEqual(['cran=2']);
  });
});

describe('textFeatures: names', () => {
  it('takes a capitalised first word for a name only when the text never writes it in lower case', () => {
    const names = (texts: string[]) => [...textFeatures('', texts.map(sentence)).entities.keys];
    // "Harbour" opens a sentence; written in lower case elsewhere (before a comma too) it is no name
    expect(names(['Harbour works resumed in Kyiv.', 'The harbour, officials said, is open.'])).not.toContain('harbour');
    // a word after an opening quote does not start with a lower-case letter: not counted
    expect(names(['Harbour works resumed in Kyiv.', 'The "harbour" is open.'])).toContain('harbour');
    expect(names(['Harbour works resumed in Kyiv.', 'Officials said the port is open.'])).toContain('harbour');
    // a lower-case word inside another word, or after a capital, does not count
    expect(names(['Harbour works resumed in Kyiv.', 'The seaharbour and Xharbour are open.'])).toContain('harbour');
    // a run of capitals that starts a sentence loses a first word the text writes in lower case
    expect(names(['Harbour Master Ivanov spoke.', 'The harbour is open.'])).toContain('master ivanov');
    expect(names(['Harbour Master Ivanov spoke.', 'The port is open.'])).toContain('harbour master ivanov');
  });
});

describe('textFeatures: who wrote a report is not what it is about', () => {
  it("drops the dateline's outlet from the lead's names and words, and keeps its place", () => {
    const lead = sentence(
      'GENEVA (Wire) - Iranian and US negotiators held six hours of talks in Geneva on Thursday, officials said.',
    );
    const f = textFeatures('Talks end without deal', [lead]);
    expect([...f.entities.keys]).toContain('geneva');
    expect([...f.entities.keys]).not.toContain('wire');
    expect([...f.entities.keys]).not.toContain('geneva wire');
    expect(f.terms.keys).not.toContain('wire');
  });

  it('keeps the word where the text itself uses it', () => {
    const lead = sentence('LONDON (Wire) - The wire fraud trial of a former banker opened in London on Monday.');
    const f = textFeatures('Fraud trial opens', [lead, sentence('The wire transfers were made in 2021.')]);
    expect(f.terms.keys).toContain('wire');
  });
});

describe('textFeatures: a sentence-initial capitalised word', () => {
  it('is a name unless the text writes it in lower case as a word of its own, not inside another word', () => {
    const names = (body: string[]) => [...textFeatures('Plan', body.map(sentence)).entities.keys];
    // "ford" only inside "affordable": Ford stays a name
    expect(names(['Ford unveiled an affordable plan.', 'Dealers welcomed it.'])).toContain('ford');
    // "(talks" and "talks," are the word written in lower case: Talks is no name
    expect(names(['Talks resumed on Friday.', 'Both sides said (talks were useful) and talks, too.'])).not.toContain(
      'talks',
    );
  });
});
