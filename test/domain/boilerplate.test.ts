import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bylineOf,
  groupedByFirstChar,
  isCommentCounter,
  isCopyrightLine,
  isCreditLine,
  isErrorLine,
  isFurnitureAnywhere,
  isHeadlineShaped,
  isNewsletterPrompt,
  isPageFurniture,
  isReadingTime,
  isSectionLabel,
  legalScore,
} from '../../src/domain/boilerplate.js';
import { wordCount } from '../../src/domain/text.js';

// Each classifier gets page furniture it must catch (variants not taken from the seed articles) and real article
// lines it must leave alone: the cleaner drops whatever these say yes to, so a false positive loses news text.

describe('isErrorLine', () => {
  it.each([
    '404',
    '500',
    'Error 404 - Not Found',
    'HTTP 503 Service Unavailable',
    '403 Forbidden',
    'Whoops!',
    'Oops!',
    'Sorry!!',
    'Internal Server Error',
    'The page you requested could not be found.',
    'Sorry, the page you are looking for does not exist.',
    'This page is no longer available.',
    'Sorry, something went wrong on our end. Please try again later.',
  ])('flags %j', (line) => {
    expect(isErrorLine(line)).toBe(true);
  });

  it.each([
    '“We are sorry for the delays, and we will put them right,” the transport minister told reporters.',
    'Critics said the error of the policy became clear within weeks of its launch.',
    'Page Turner bookshop wins national award',
    '450 jobs to go at Bristol car plant',
    'The envoys met for five hours in Geneva on Sunday and agreed to meet again.',
    'Ceasefire talks resume in Istanbul',
    'Officials apologised for the broken promises on housing.',
    // a lead that reports an error: someone said it
    'A website error exposed the personal data of two million customers, the regulator said on Tuesday.',
    'A server error shut down the payment system for six hours on Monday, leaving millions unable to pay.',
    // a shouted kicker over a wire flash is no error message
    'BREAKING NEWS!!',
    'RESIGNED!',
    'Goal!',
  ])('leaves %j alone', (line) => {
    expect(isErrorLine(line)).toBe(false);
  });
});

describe('isReadingTime', () => {
  it.each([
    '5 min read',
    '1 min read',
    '3-minute read',
    'Reading time: 4 minutes',
    'Read time: 6 min',
    '2 minutes, 13 seconds Read',
  ])('flags %j', (line) => {
    expect(isReadingTime(line)).toBe(true);
  });

  it.each([
    'Read the full statement',
    'The talks lasted five hours and ended without a deal.',
    'It took 20 minutes to read the statement aloud.',
    'Reading time for schoolchildren has fallen, the survey found.',
    'Envoys will read out a joint statement at 5 pm.',
  ])('leaves %j alone', (line) => {
    expect(isReadingTime(line)).toBe(false);
  });
});

describe('isSectionLabel', () => {
  it.each(['Politics', 'OPINION', 'World News', 'World | Europe', 'Home > World > Europe', 'Business » Markets'])(
    'flags %j',
    (line) => {
      expect(isSectionLabel(line)).toBe(true);
    },
  );

  it.each([
    'The talks ended without a deal.',
    'Geneva, March 3',
    'Envoys meet in Geneva for ceasefire talks',
    'Page Turner wins award',
    'Ceasefire talks resume',
    'A second round is likely within weeks, officials said',
  ])('leaves %j alone', (line) => {
    expect(isSectionLabel(line)).toBe(false);
  });
});

describe('isCommentCounter', () => {
  it.each([
    '12 Comments',
    'Comments (3)',
    'No comments yet',
    'CommentsNo comment',
    'Leave a comment',
    'View all 45 comments',
    '7 replies',
  ])('flags %j', (line) => {
    expect(isCommentCounter(line)).toBe(true);
  });

  it.each([
    'Comments from the minister drew sharp criticism from opposition parties on Monday.',
    '“No comment,” the Kremlin spokesman said.',
    'The envoy declined to comment on the draft.',
    '12 delegates attended the Geneva meeting.',
  ])('leaves %j alone', (line) => {
    expect(isCommentCounter(line)).toBe(false);
  });
});

describe('isPageFurniture', () => {
  it.each([
    'Share on WhatsApp',
    'Share this article',
    'Advertisement',
    'Sponsored content',
    'Related Articles',
    'You may also like',
    'Similar Posts',
    'More In Politics MORE...',
    'Most read',
    'Read more',
    'Tags: Ukraine, Geneva, ceasefire',
    'Photo: Coastline Wire',
    'Follow us on Telegram',
    'Click here to subscribe',
  ])('flags %j', (line) => {
    expect(isPageFurniture(line)).toBe(true);
  });

  it.each([
    'Page Turner wins award',
    'Share prices in Moscow rose after the talks ended.',
    'Related talks are planned in Istanbul later this month.',
    'Save the Children said the release was long overdue.',
    'Photographers waited outside the villa for hours.',
    'The envoys shared a lunch of perch from the lake.',
  ])('leaves %j alone', (line) => {
    expect(isPageFurniture(line)).toBe(false);
  });
});

describe('isCopyrightLine', () => {
  it.each([
    '© 2025 Metro Daily. All rights reserved.',
    'Copyright 2025 Coastline Wire',
    '(c) Bay Courier 2024',
    'All rights reserved.',
  ])('flags %j', (line) => {
    expect(isCopyrightLine(line)).toBe(true);
  });

  it.each([
    'The court ruled that copyright law did not apply to the leaked maps.',
    'Copyright lawyers said the ruling would be appealed.',
    'The envoys reserved their right to walk away from the talks.',
  ])('leaves %j alone', (line) => {
    expect(isCopyrightLine(line)).toBe(false);
  });
});

describe('isNewsletterPrompt', () => {
  it.each([
    'Sign up for the Metro Daily morning briefing and get the top stories delivered to your inbox.',
    'Subscribe to our free weekly newsletter',
    'Get the best of the Bay Courier delivered to your inbox every morning.',
    'Subscribe to continue reading.',
    'Join 40,000 readers: sign up for our daily newsletter',
  ])('flags %j', (line) => {
    expect(isNewsletterPrompt(line)).toBe(true);
  });

  it.each([
    'The newspaper lost half of its subscribers last year, its editor said.',
    '“Subscribe to peace, not war,” the banner read.',
    'Both governments will sign up to the monitoring agreement today, the ministry said.',
    'The envoys met for five hours in Geneva on Sunday.',
  ])('leaves %j alone', (line) => {
    expect(isNewsletterPrompt(line)).toBe(false);
  });
});

describe('legalScore', () => {
  it.each([
    'Northern Post provides this content on an “as is” basis without warranty of any kind. We accept no liability for the accuracy or completeness of the information in this article.',
    'The views expressed in this article are those of the author and do not necessarily reflect the views of the publisher, which accepts no responsibility for them.',
    'This press release was provided by a third party; the publisher makes no warranty as to its reliability and disclaims all liability.',
  ])('a disclaimer paragraph scores 3 or more: %j', (line) => {
    expect(legalScore(line)).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['The envoys met for five hours in Geneva on Sunday.', 0],
    ['Twelve people were killed when the convoy was hit near the front line.', 0],
  ] as const)('news without legal words scores 0: %j', (line, score) => {
    expect(legalScore(line)).toBe(score);
  });

  it.each([
    'The ministry took responsibility for the delay and promised a full inquiry.',
    'The report questioned the accuracy of the casualty figures published by both sides.',
    'This article was updated on Tuesday to correct the date of the meeting.',
    'Legal Disclaimer:',
  ])('a line with one legal word stays below 2: %j', (line) => {
    expect(legalScore(line)).toBeLessThan(2);
  });
});

describe('isHeadlineShaped', () => {
  it.each([
    'US and Russian envoys meet in Geneva for ceasefire talks',
    'Page Turner wins award',
    '400 observers proposed for Ukraine truce line',
    '“Frank and businesslike”: envoys end Geneva talks',
    'Iran and US hold indirect nuclear talks in Muscat',
  ])('accepts %j', (line) => {
    expect(isHeadlineShaped(line)).toBe(true);
  });

  it.each([
    'The envoys met for five hours.',
    'What did the envoys agree in Geneva?',
    'Sorry!!',
    'Politics',
    'World News',
    'and then the talks began',
    'Envoys agree to meet again, officials say,',
    'Read the rest of the story...',
    'Legal Disclaimer:',
  ])('rejects %j', (line) => {
    expect(isHeadlineShaped(line)).toBe(false);
  });
});

describe('bylineOf', () => {
  it.each([
    ['By Jane Roe', 'Jane Roe'],
    ['by Jane Roe', 'Jane Roe'],
    ['By Dara Lindqvist and Marcus Feld, Coastline Wire', 'Dara Lindqvist and Marcus Feld'],
    ['By Anna de Vries | Bay Courier', 'Anna de Vries'],
    ['By Tomas O’Neill - Metro Daily', 'Tomas O’Neill'],
  ])('%j -> %j', (line, name) => {
    expect(bylineOf(line)).toBe(name);
  });

  it.each([
    'By Sunday the envoys had agreed to meet again in Istanbul later this month.',
    'By the end of the talks, both sides had softened their positions.',
    'by the way',
    'Bylines are not names',
    'Dara Lindqvist',
  ])('%j is not a byline', (line) => {
    expect(bylineOf(line)).toBeNull();
  });
});

describe('isFurnitureAnywhere', () => {
  const PIECES = [
    'Share',
    'share',
    '5 min read',
    'Reading time',
    '12 Comments',
    'Comments',
    'Leave a comment',
    '© 2024',
    'Copyright',
    'All rights reserved',
    'Sign up',
    'newsletter',
    'delivered free to your inbox',
    'Related:',
    'Advertisement',
    'talks resumed in Geneva',
    'the envoy said',
    'U.S.-led',
    "don't",
    '.',
    '!',
    '?',
    ',',
    ' ',
    '’s',
  ];
  const line = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(' ').trim());

  it('is the five kinds of furniture, for lines of at most 40 words (counted once, not by each kind)', () => {
    fc.assert(
      fc.property(line, (l) => {
        const expected =
          wordCount(l) <= 40 &&
          (isReadingTime(l) ||
            isCommentCounter(l) ||
            isPageFurniture(l) ||
            isCopyrightLine(l) ||
            isNewsletterPrompt(l));
        expect(isFurnitureAnywhere(l)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isCreditLine', () => {
  it.each([
    ['(Reporting by Wire staff; editing by the Middle East desk)', true],
    ['Reporting by Ana Ruiz in Madrid; Editing by Mark Heinrich', true],
    ['(Additional reporting by Tom Okafor in Lagos)', true],
    ['Writing by Jane Roe; editing by John Doe.', true],
    ['[Reporting by Kim Lee]', true],
    ['Reporting by the BBC found the figures were wrong, the minister said on Tuesday.', false],
    ['The reporting by local media was later confirmed.', false],
  ])('%j -> %s', (line, expected) => {
    expect(isCreditLine(line)).toBe(expected);
  });
});

describe('groupedByFirstChar', () => {
  it('groups alternatives by a leading letter or digit and keeps the rest after them', () => {
    expect(groupedByFirstChar(['ab', 'ac', 'b', 's?x', '(?:q|r)z', '\\dx', '404'])).toBe(
      'a(?:b|c)|b(?:)|4(?:04)|s?x|(?:q|r)z|\\dx',
    );
  });

  it('matches what the alternatives joined match', () => {
    const alternatives = ['not found', 'no longer exists?', "(?:does ?n[o']?t) exist", 'nothing', '404', 'n?o'];
    const joined = new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'i');
    const grouped = new RegExp(`\\b(?:${groupedByFirstChar(alternatives)})\\b`, 'i');
    const words = fc.constantFrom(
      'not',
      'found',
      'No',
      'longer',
      'exist',
      'exists',
      "doesn't",
      'nothing',
      '404',
      'o',
      ' ',
      '-',
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 6 }), (parts) => {
        const line = parts.join(' ');
        expect(grouped.test(line)).toBe(joined.test(line));
      }),
    );
  });
});
