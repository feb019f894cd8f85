import { describe, expect, it } from 'vitest';
import { compileTopicDefinitions } from '../../src/digest-options.js';
import { buildDigest } from '../../src/domain/digest.js';
import { tokenize } from '../../src/domain/text.js';
import { languageOfTokens } from '../../src/domain/text-language.js';
import { loadBackgroundVocabulary } from '../../src/lexicon/subtlex.js';

const sentences = (text: string) => text.split('\n').map((s) => ({ tokens: tokenize(s) }));

describe('languageOfTokens', () => {
  it.each([
    [
      'en',
      'The shipping ministry said it had offered talks and called the strike disproportionate at the height of the holiday season, when ferries carry most of the islands’ visitors.',
    ],
    [
      'es',
      'El presidente ruso se reunió durante cinco horas en el Kremlin con el enviado especial de Estados Unidos, sin que las partes alcanzaran un acuerdo sobre los territorios.',
    ],
    [
      'de',
      'Die Besatzungen griechischer Fähren sind am Donnerstag in einen Streik gegen neue Sicherheitsregeln getreten, wie die Gewerkschaft mitteilte, und das Ministerium bot Gespräche an.',
    ],
    [
      'fr',
      'Les équipages des ferries grecs ont entamé jeudi une grève de 48 heures contre les nouvelles règles de sécurité, a indiqué le syndicat, et le ministère a proposé des discussions.',
    ],
  ])('%s', (code, text) => {
    expect(languageOfTokens(sentences(text))).toBe(code);
  });

  it('says nothing of a text too short to tell, or of a list of names and numbers', () => {
    expect(languageOfTokens(sentences('Putin, Hartley, Ushakov.'))).toBeNull();
    const specs = Array.from({ length: 12 }, (_, i) => `Galaxy S${i} 5.1 inch 16 GB 2800 mAh Snapdragon 801`).join(
      '\n',
    );
    expect(languageOfTokens(sentences(specs))).toBeNull();
  });
});

const WIRE = {
  id: 'wire',
  source: 'Wire',
  title: 'US envoy holds five-hour talks with Putin in Moscow',
  publishedAt: '2026-12-01T19:00:00Z',
  text: [
    'MOSCOW (Wire) - US special envoy Daniel Hartley held five hours of talks with Russian President Vladimir Putin in the Kremlin on Tuesday, the latest attempt by Washington to broker an end to the war in Ukraine.',
    'Kremlin aide Yuri Ushakov said the meeting was "useful and constructive" but that no compromise had been found on the question of territory.',
  ].join('\n'),
};
const SAME_EVENT_ES = {
  id: 'sur-talks',
  source: 'Diario Sur',
  title: 'Putin y el enviado de EE.UU. hablan cinco horas sin acuerdo',
  publishedAt: '2026-12-01T22:00:00Z',
  text: [
    'El presidente ruso, Vladimir Putin, se reunió durante cinco horas en el Kremlin con el enviado especial de Estados Unidos, Daniel Hartley, sin que las partes alcanzaran un acuerdo sobre los territorios, según el asesor del Kremlin Yuri Ushakov.',
    'Ushakov calificó la reunión de útil y constructiva y dijo que ambas partes acordaron no revelar los detalles.',
  ].join('\n'),
};
const OTHER_EVENT_ES = {
  id: 'sur-budget',
  source: 'Diario Sur',
  title: 'Putin anuncia más gasto militar ante el Consejo de Seguridad',
  publishedAt: '2026-12-01T12:00:00Z',
  text: [
    'El presidente ruso, Vladimir Putin, anunció el martes en Moscú un aumento del gasto militar para el próximo año durante una reunión del Consejo de Seguridad en el Kremlin, según la agencia estatal.',
    'El portavoz del Kremlin, Dmitri Peskov, añadió que el presupuesto se aprobará antes de fin de año.',
  ].join('\n'),
};

describe('reports in two languages', () => {
  it.each([
    ['wire first', [WIRE, OTHER_EVENT_ES, SAME_EVENT_ES]],
    ['Spanish first', [SAME_EVENT_ES, OTHER_EVENT_ES, WIRE]],
  ])('of one meeting are one story; another Kremlin event that day is not (%s)', (_order, inputs) => {
    // as the bot runs: with the background vocabulary that weighs names before the stream has seen many
    const d = buildDigest(inputs, {
      topics: compileTopicDefinitions([]),
      background: loadBackgroundVocabulary(),
      now: '2026-12-02T00:00:00Z',
    });
    const storyOf = (id: string) => d.stories.find((s) => s.articles.includes(id))?.id;
    expect(storyOf('sur-talks')).toBe(storyOf('wire'));
    expect(storyOf('sur-budget')).not.toBe(storyOf('wire'));
  });
});

describe('the summary of a story told in two languages', () => {
  it("is in its best source's language", () => {
    const d = buildDigest([WIRE, SAME_EVENT_ES], {
      topics: compileTopicDefinitions([]),
      background: loadBackgroundVocabulary(),
      now: '2026-12-02T00:00:00Z',
    });
    const story = d.stories.find((s) => s.articles.includes('wire'));
    expect(story?.articles).toContain('sur-talks');
    expect(story?.summary.length).toBeGreaterThan(0);
    expect(story?.summary.map((s) => s.articleId)).not.toContain('sur-talks');
  });
});
