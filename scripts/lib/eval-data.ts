// Reading the labelled clustering sets in ../shared/eval (never copied into the repo).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArticleInput } from '../../src/domain/types.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The eval folder: $NEWSDIGEST_EVAL_DIR, else ../shared/eval beside the repo. Null when it is absent. */
export function evalDir(): string | null {
  const dir = resolve(REPO_ROOT, process.env.NEWSDIGEST_EVAL_DIR ?? join('..', 'shared', 'eval'));
  return existsSync(dir) ? dir : null;
}

export const SKIP_MESSAGE = 'skipped: ../shared/eval not found (set NEWSDIGEST_EVAL_DIR to point elsewhere)';

export interface EvalRecord {
  id: string;
  title: string;
  text: string;
  url: string | null;
  source: string | null;
  date: string | null;
  /** Gold story (or topic, for wikiref220). */
  cluster: string;
  /** ECB+ only: the coarser gold level. */
  topic: string | null;
  /** wikiref220 only. */
  isNoise: boolean;
}

export type SetName = 'basil' | 'ecbplus' | 'wikiref220';

const FILES: Record<SetName, string> = {
  basil: 'basil-stories/basil.jsonl',
  ecbplus: 'ecbplus-stories/ecbplus.jsonl',
  wikiref220: 'wikiref220/wikiref220.jsonl',
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function toRecord(raw: unknown, where: string): EvalRecord {
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: not an object`);
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  const cluster = str(r.cluster);
  if (id === null || cluster === null) throw new Error(`${where}: id or cluster missing`);
  return {
    id,
    title: str(r.title) ?? '',
    text: str(r.text) ?? '',
    url: str(r.url),
    source: str(r.source),
    date: str(r.date),
    cluster,
    topic: str(r.topic),
    isNoise: r.is_noise === true,
  };
}

/** One set, in file order; BASIL is sorted by date (stable), the order a feed would deliver it in. */
export function loadSet(dir: string, name: SetName): EvalRecord[] {
  const path = join(dir, FILES[name]);
  const records = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => toRecord(JSON.parse(line), `${path}:${i + 1}`));
  if (name === 'basil') records.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  return records;
}

export function toInput(r: EvalRecord): ArticleInput {
  return {
    id: r.id,
    title: r.title,
    text: r.text,
    url: r.url ?? undefined,
    source: r.source ?? undefined,
    publishedAt: r.date ?? undefined,
  };
}

export function goldPartition(
  records: readonly EvalRecord[],
  level: 'cluster' | 'topic' = 'cluster',
): Map<string, string> {
  return new Map(records.map((r) => [r.id, level === 'topic' ? (r.topic ?? r.cluster) : r.cluster]));
}

export function wordsOf(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

/** A `now` just after the newest dated record, so nothing in the set looks stale or from the future. */
export function nowAfter(inputs: readonly ArticleInput[], fallback = '2024-01-01T00:00:00.000Z'): string {
  let max = Number.NEGATIVE_INFINITY;
  for (const a of inputs) {
    const t = a.publishedAt ? Date.parse(a.publishedAt) : Number.NaN;
    if (Number.isFinite(t) && t > max) max = t;
  }
  return Number.isFinite(max) ? new Date(max + 86_400_000).toISOString() : fallback;
}
