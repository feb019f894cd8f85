import { describe, expect, it } from 'vitest';
import { daysAgreement, daysInText } from '../../src/domain/dates-in-text.js';

const DAY_MS = 86_400_000;
const day = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
/** A Friday, mid-morning. */
const FRIDAY = Date.parse('2025-03-14T09:30:00Z');

describe('daysInText', () => {
  it('resolves weekdays to the latest such day on or before the publish date', () => {
    const { days, words } = daysInText(['The envoy met the minister on Wednesday and spoke again on Friday.'], FRIDAY);
    expect(days).toEqual([day('2025-03-12'), day('2025-03-14')]);
    expect(words).toEqual([]);
  });

  it('reads "last" and "next" before a weekday, and yesterday and today', () => {
    expect(daysInText(['Talks resume next Monday.'], FRIDAY).days).toEqual([day('2025-03-17')]);
    expect(daysInText(['Last Friday the port reopened.'], FRIDAY).days).toEqual([day('2025-03-07')]);
    expect(daysInText(['The vote was held yesterday; results come today.'], FRIDAY).days).toEqual([
      day('2025-03-13'),
      day('2025-03-14'),
    ]);
  });

  it('gives a month and day the publish year, or the year before when it would lie months ahead', () => {
    expect(daysInText(['The ceasefire began on March 3.'], FRIDAY).days).toEqual([day('2025-03-03')]);
    const january = Date.parse('2025-01-04T12:00:00Z');
    expect(daysInText(['Since Dec. 28, the border has been closed.'], january).days).toEqual([day('2024-12-28')]);
  });

  it('resolves full dates in either order without a publish date, and keeps the rest as words', () => {
    const { days, words } = daysInText(
      ['Posted 21 July 2013', 'The quake struck on Sunday, two weeks after the April 11 tremor of April 2, 2013.'],
      null,
    );
    expect(days).toEqual([day('2013-04-02'), day('2013-07-21')]);
    expect(words.sort()).toEqual(['apr 11', 'sun']);
  });

  it('counts a follow-up\'s "days after" back from the day it names, or from the publish date', () => {
    // Friday: "on Thursday, three days after the attack" puts the attack on Monday
    expect(
      daysInText(['Kyiv asked for air defence on Thursday, three days after the port attack.'], FRIDAY).days,
    ).toEqual([day('2025-03-10'), day('2025-03-13')]);
    expect(daysInText(['Power returned, two days after the strike on the plant.'], FRIDAY).days).toEqual([
      day('2025-03-12'),
    ]);
    expect(daysInText(['The talks resumed a week after the walkout.'], FRIDAY).days).toEqual([day('2025-03-07')]);
    // the phrase names its day itself: nothing to count
    expect(daysInText(["Protests began two days after Monday's vote."], FRIDAY).days).toEqual([day('2025-03-10')]);
    // without a publish date or a named day there is nothing to count from
    expect(daysInText(['Power returned two days after the strike.'], null).days).toEqual([]);
  });

  it('ignores impossible days and numbers that are not days', () => {
    expect(daysInText(['February 30 is no date; May 2019 sales rose 4 percent.'], FRIDAY).days).toEqual([]);
  });
});

describe('daysAgreement', () => {
  it('agrees within the tolerance, disagrees beyond it, and says nothing when either names no day', () => {
    expect(daysAgreement([10, 20], [21], 1)).toBe(1);
    expect(daysAgreement([10, 20], [23], 1)).toBe(-1);
    expect(daysAgreement([], [23], 1)).toBe(0);
  });
});
