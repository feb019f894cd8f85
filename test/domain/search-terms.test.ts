// What the search index holds and what a query looks up: one function for both, so they always meet.
import { describe, expect, it } from 'vitest';
import { searchTerms, unaccented } from '../../src/domain/search-terms.js';

describe('searchTerms', () => {
  it('folds accents so that a name typed plainly meets the name as outlets write it', () => {
    expect(searchTerms('Erdoğan met Zelenskyy in Kraków')).toEqual(searchTerms('Erdogan met Zelenskyy in Krakow'));
    expect(searchTerms('Łódź, Gdańsk and São Paulo')).toEqual(['lodz', 'gdansk', 'sao', 'paulo']);
    // the Turkish dotted capital lower-cases to i plus a combining dot, which PostgreSQL's parser splits on
    expect(searchTerms('İstanbul')).toEqual(['istanbul']);
    expect(searchTerms('Straße')).toEqual(searchTerms('Strasse'));
  });

  it('keeps letters of every script and leaves out what holds no letter or digit', () => {
    expect(searchTerms('Москва переговоры')).toEqual(['москва', 'переговоры']);
    expect(searchTerms('🔥 talks 🔥')).toEqual(['talk']);
    expect(searchTerms('the of 🔥')).toEqual([]);
  });

  it('leaves ASCII tokens as they are and strips marks from the rest', () => {
    expect(unaccented('geneva')).toBe('geneva');
    expect(unaccented('café')).toBe('cafe');
    expect(unaccented('ﬁnance')).toBe('finance');
  });
});
