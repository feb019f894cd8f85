import { describe, expect, it } from 'vitest';
import { cleanText, datelineSourceOf, isTimestampOnly, lineHash, parseDateLine } from '../../src/domain/clean.js';
import { squash } from '../../src/domain/text.js';
import {
  GENEVA_BODY_PARAGRAPHS,
  GENEVA_METRO,
  GENEVA_METRO_CREDIT,
  SWAP_NORTHERN,
  SWAP_NORTHERN_ERROR_LINES,
  SWAP_NORTHERN_HEADLINE,
  SWAP_NORTHERN_PARAGRAPHS,
} from '../fixtures/articles.js';

// Real paragraphs used to build whole pages below. Invented reporting.
const P1 =
  '(Coastline Wire) — The envoys of the United States and Russia agreed on Tuesday to hold a second round of talks in Istanbul before the end of the month.';
const P2 =
  'The decision came after a telephone call between the two delegations, who had spent five hours together in Geneva the week before.';
const QUOTE = '“We are not there yet,” Feld said.';
const P3 =
  'Officials in Kyiv said they would send observers to Istanbul but would not take part in the talks unless a written draft was put on the table.';
const LAST = 'Talks resume on Friday.';

const DISCLAIMER_LABEL = 'Legal Disclaimer:';
const DISCLAIMER =
  'Coastline Wire provides the information on an “as is” basis without warranty of any kind and accepts no liability for the accuracy, completeness or reliability of this article.';

describe('cleanText on whole pages', () => {
  it('gives paragraphs white space already collapsed, as collapseRepeats takes them', () => {
    const raw = ['  Envoys agree  to talks ', P1.replace(/ /g, '\u00a0 '), `\t${P2}\t`, `${P3}\u2028`, LAST].join('\n');
    const { paragraphs } = cleanText(raw);
    expect(paragraphs.length).toBeGreaterThan(2);
    for (const p of paragraphs) expect(squash(p)).toBe(p);
  });

  it('removes an error preamble, keeps it in errorLines and finds the headline after it', () => {
    const raw = [
      '403',
      'Whoops!',
      'Sorry, the page you were looking for doesn’t exist.',
      'Envoys agree to a second round of talks',
      P1,
      P2,
      P3,
      DISCLAIMER_LABEL,
      DISCLAIMER,
      'Comments (3)',
    ].join('\n');
    const cleaned = cleanText(raw);
    expect(cleaned.errorLines).toEqual(['403', 'Whoops!', 'Sorry, the page you were looking for doesn’t exist.']);
    expect(cleaned.headline).toBe('Envoys agree to a second round of talks');
    expect(cleaned.paragraphs).toEqual([P1, P2, P3]);
    expect(cleaned.datelineSource).toBe('Coastline Wire');
    expect(cleaned.removedLines).toBe(3);
  });

  it('drops section labels and reading times around the headline and captures the date line', () => {
    const raw = [
      'Home > World > Europe',
      'Politics',
      'Envoys agree to a second round of talks',
      '5 min read',
      'Published March 4, 2025 10:32 AM',
      P1,
      P2,
      LAST,
    ].join('\n');
    const cleaned = cleanText(raw);
    expect(cleaned.headline).toBe('Envoys agree to a second round of talks');
    expect(cleaned.dateline).toBe('2025-03-04T00:00:00.000Z');
    expect(cleaned.paragraphs).toEqual([P1, P2, LAST]);
    expect(cleaned.errorLines).toEqual([]);
    expect(cleaned.removedLines).toBe(3);
  });

  it.each([
    ['By Jane Roe', 'Jane Roe'],
    ['by Jane Roe', 'Jane Roe'],
    ['By Anna de Vries and Tomas Eck, Coastline Wire', 'Anna de Vries and Tomas Eck'],
  ])('captures the byline line %j under the headline', (bylineLine, name) => {
    const raw = ['Envoys agree to a second round of talks', bylineLine, P1, P2].join('\n');
    const cleaned = cleanText(raw);
    expect(cleaned.byline).toBe(name);
    expect(cleaned.headline).toBe('Envoys agree to a second round of talks');
    expect(cleaned.paragraphs).toEqual([P1, P2]);
  });

  it('drops furniture between and after paragraphs but keeps every real paragraph, short ones included', () => {
    const raw = [
      P1,
      'Advertisement',
      P2,
      QUOTE,
      'Share on WhatsApp',
      P3,
      LAST,
      'Related Articles',
      'You may also like',
      'More In Politics MORE...',
      'Similar Posts',
    ].join('\n');
    const cleaned = cleanText(raw);
    expect(cleaned.paragraphs).toEqual([P1, P2, QUOTE, P3, LAST]);
    expect(cleaned.paragraphs).toHaveLength(5);
    expect(cleaned.removedLines).toBe(6);
    expect(cleaned.headline).toBeNull();
  });

  it('keeps a standfirst that follows the headline', () => {
    const standfirst = 'The first meeting since the autumn lasted five hours and ended with a handshake';
    const cleaned = cleanText(['Envoys agree to a second round of talks', standfirst, P1, P2].join('\n'));
    expect(cleaned.headline).toBe('Envoys agree to a second round of talks');
    expect(cleaned.paragraphs).toEqual([standfirst, P1, P2]);
  });

  it('drops a disclaimer block that stands between the body and a comment counter', () => {
    const cleaned = cleanText([P1, P2, 'Disclaimer:', DISCLAIMER, '12 Comments'].join('\n'));
    expect(cleaned.paragraphs).toEqual([P1, P2]);
  });

  it('drops a disclaimer block in the middle of the text together with its label', () => {
    const cleaned = cleanText([P1, DISCLAIMER_LABEL, DISCLAIMER, P2, P3].join('\n'));
    expect(cleaned.paragraphs).toEqual([P1, P2, P3]);
  });

  it('drops a first line that repeats the known title, whatever its case and quote style', () => {
    const raw = ['ENVOYS’ GENEVA TALKS END WITH A HANDSHAKE', P1, P2].join('\n');
    const cleaned = cleanText(raw, { knownTitle: "Envoys' Geneva talks end with a handshake" });
    expect(cleaned.headline).toBeNull();
    expect(cleaned.paragraphs).toEqual([P1, P2]);
  });

  it('drops the lines a source prints on many pages, wherever they stand', () => {
    const top = 'Metro Daily · news that travels';
    const middle = 'Listen to this story';
    const bottom = 'Metro Daily is part of the Harbour Media group';
    const raw = [top, P1, middle, P2, P3, bottom].join('\n');
    const sourceBoilerplate = new Set([lineHash(top), lineHash(middle), lineHash(bottom)]);
    const cleaned = cleanText(raw, { sourceBoilerplate });
    expect(cleaned.paragraphs).toEqual([P1, P2, P3]);
    expect(cleaned.removedLines).toBe(3);
    // without the source's boilerplate the middle line is just a short line of text and stays
    expect(cleanText(raw).paragraphs).toContain(middle);
  });

  it('cleans the swap fixture: error preamble, headline, body, disclaimer', () => {
    const cleaned = cleanText(SWAP_NORTHERN.text ?? '');
    expect(cleaned.errorLines).toEqual([...SWAP_NORTHERN_ERROR_LINES]);
    expect(cleaned.headline).toBe(SWAP_NORTHERN_HEADLINE);
    expect(cleaned.paragraphs).toEqual([...SWAP_NORTHERN_PARAGRAPHS]);
  });

  it('cleans the syndicated fixture: label and reading time on top, newsletter and copyright below', () => {
    const cleaned = cleanText(GENEVA_METRO.text ?? '', { knownTitle: GENEVA_METRO.title });
    expect(cleaned.paragraphs).toEqual([...GENEVA_BODY_PARAGRAPHS, GENEVA_METRO_CREDIT]);
    expect(cleaned.headline).toBeNull();
    expect(cleaned.datelineSource).toBe('Coastline Wire');
  });

  it('an error page alone leaves no paragraphs', () => {
    const cleaned = cleanText('500\nInternal Server Error\nSorry, something went wrong on our end. Please try again.');
    expect(cleaned.paragraphs).toEqual([]);
    expect(cleaned.errorLines).toHaveLength(3);
  });
});

describe('isTimestampOnly', () => {
  it.each([
    'APR 28',
    'Jan 05, 2011',
    '18 September 2013 Last updated at 13: 59 GMT',
    'Last Updated: Monday, 28 November 2005, 02: 24 GMT',
    'updated 8: 41 p. m. EST, Tue March 3, 2009',
    'Article posted on 08. 07. 2012',
    'Updated 10:32 AM ET',
  ])('%j says only when', (line) => {
    expect(isTimestampOnly(line)).toBe(true);
  });

  it.each([
    'Envoys meet in Geneva',
    'May 5 attack kills 12',
    '4.6 magnitude quake recorded in Sonoma County',
    '2 minutes, 13 seconds Read',
    'Talks resume on Monday',
    'Birthday 2012',
  ])('%j is more than a time', (line) => {
    expect(isTimestampOnly(line)).toBe(false);
  });
});

describe('parseDateLine', () => {
  it.each([
    ['Published March 3, 2025 10:32 AM', '2025-03-03T00:00:00.000Z'],
    ['2025-03-17', '2025-03-17T00:00:00.000Z'],
    ['Updated: 17 March 2025', '2025-03-17T00:00:00.000Z'],
    ['Monday, March 17, 2025', '2025-03-17T00:00:00.000Z'],
    ['Mar. 8, 2025', '2025-03-08T00:00:00.000Z'],
    ['Posted on 8th March 2025', '2025-03-08T00:00:00.000Z'],
    ['Last updated: 2025-03-10 14:05 GMT', '2025-03-10T00:00:00.000Z'],
  ])('%j -> %s', (line, iso) => {
    expect(parseDateLine(line)).toBe(iso);
  });

  it.each([
    'The envoys met on March 2, 2025 in Geneva for five hours of talks on a ceasefire in Ukraine.',
    'March 2025',
    'Geneva talks',
    'Published 2025-13-01',
    'February 30, 2025',
    '',
  ])('%j is not a date line', (line) => {
    expect(parseDateLine(line)).toBeNull();
  });
});

describe('datelineSourceOf', () => {
  it.each([
    ['(Reuters) - The envoys met for five hours in Geneva on Sunday.', 'Reuters'],
    ['WASHINGTON (AP) — The envoys met for five hours in Geneva on Sunday.', 'AP'],
    ['(MENAFN) The envoys met for five hours in Geneva on Sunday.', 'MENAFN'],
    ['GENEVA (Coastline Wire) — American and Russian envoys met for five hours.', 'Coastline Wire'],
    ['KYIV, Ukraine (AP) — Officials said they had been briefed by telephone.', 'AP'],
    ['NEW YORK (Harbor Ledger): The businessman was convicted in 2023.', 'Harbor Ledger'],
    ['OSLO, Norway, Dec. 5, 2026 /PRNewswire/ -- Northwind Energy today announced results.', 'PRNewswire'],
    ['December 5, 2026 /GLOBE NEWSWIRE/ -- Acme Corp said revenue rose.', 'GLOBE NEWSWIRE'],
  ])('%j -> %j', (paragraph, source) => {
    expect(datelineSourceOf(paragraph)).toBe(source);
  });

  it.each([
    'The envoys (both veterans of earlier talks) met in Geneva.',
    'Geneva (Switzerland) hosted the talks for the second time.',
    '(Updated 10:32) The envoys met in Geneva.',
    'The talks ended without a deal, officials said.',
  ])('%j names no outlet', (paragraph) => {
    expect(datelineSourceOf(paragraph)).toBeNull();
  });
});

describe('wire credit lines', () => {
  it('are cut wherever they stand; a sentence about reporting stays', () => {
    const text = [
      'GENEVA (Wire) - Iranian and US negotiators held six hours of talks in Geneva on Thursday, officials said.',
      '(Reporting by Wire staff; editing by the Middle East desk)',
      'Reporting by the BBC found the figures were wrong, the minister said on Tuesday.',
      'Additional reporting by Tom Okafor in Lagos',
    ].join('\n');
    const { paragraphs } = cleanText(text);
    expect(paragraphs.some((p) => /editing by|Tom Okafor/.test(p))).toBe(false);
    expect(paragraphs).toContain('Reporting by the BBC found the figures were wrong, the minister said on Tuesday.');
  });
});
