// What ingest decided, and the stories it built. Records are written once per article and once per story growth;
// the growth log, like the ingest log, is one key per sequence number, so nothing here rewrites a list.
//
// Keys (in the store's namespace):
//   processed:<article id>   the ProcessedRecord without its features
//   features:<article id>    what a restart needs of it: story, outlet, title and the features (processed-codec.ts)
//   story:<story id>         the StoryRecord, rewritten when the story grows
//   growth:<seq>             the StoryGrowth of ingest batch <seq>
//   processed-seq            the last batch committed: written after its growth entry
//   growth-floor             the lowest growth entry not yet pruned
import type { ProcessedRecord, RestoredArticle, StoryGrowth, StoryRecord, StoryStore } from '../ports.js';
import { keyPart } from './keys.js';
import { decode, type Kv } from './kv.js';
import { decodeProcessed, decodeRestorable, encodeProcessed, encodeRestorable } from './processed-codec.js';
import { numberSchema, storyGrowthSchema, storyRecordSchema } from './schemas.js';

const PROCESSED_SEQ = 'processed-seq';
const GROWTH_FLOOR = 'growth-floor';
const CHUNK = 200;
const processedKey = (id: string): string => `processed:${keyPart(id)}`;
const featuresKey = (id: string): string => `features:${keyPart(id)}`;
const storyKey = (id: string): string => `story:${keyPart(id)}`;
const growthKey = (seq: number): string => `growth:${seq}`;

export class KvStoryStore implements StoryStore {
  constructor(private readonly kv: Kv) {}

  async processedSeq(): Promise<number> {
    return decode(numberSchema, PROCESSED_SEQ, await this.kv.get(PROCESSED_SEQ)) ?? 0;
  }

  async getProcessed(articleIds: readonly string[]): Promise<Map<string, ProcessedRecord>> {
    const ids = [...new Set(articleIds)];
    const values = await this.kv.getMany(ids.map(processedKey));
    const found = new Map<string, ProcessedRecord>();
    const present = ids.filter((_, i) => values[i] !== undefined && values[i] !== null);
    const features = await this.getRestorable(present);
    ids.forEach((id, i) => {
      const record = decodeProcessed(processedKey(id), values[i], features.get(id)?.features ?? null);
      if (record !== undefined) found.set(id, record);
    });
    return found;
  }

  async getRestorable(articleIds: readonly string[]): Promise<Map<string, RestoredArticle>> {
    const ids = [...new Set(articleIds)];
    const values = await this.kv.getMany(ids.map(featuresKey));
    const found = new Map<string, RestoredArticle>();
    ids.forEach((id, i) => {
      const record = decodeRestorable(featuresKey(id), values[i]);
      if (record !== undefined) found.set(id, record);
    });
    return found;
  }

  async putProcessed(records: readonly ProcessedRecord[]): Promise<void> {
    await this.kv.setMany(
      records.flatMap((r) => [
        { key: featuresKey(r.id), value: encodeRestorable(r) },
        { key: processedKey(r.id), value: encodeProcessed(r) },
      ]),
    );
  }

  async getStories(storyIds: readonly string[]): Promise<Map<string, StoryRecord>> {
    const ids = [...new Set(storyIds)];
    const values = await this.kv.getMany(ids.map(storyKey));
    const found = new Map<string, StoryRecord>();
    ids.forEach((id, i) => {
      const record = decode(storyRecordSchema, storyKey(id), values[i]);
      if (record !== undefined) found.set(id, record);
    });
    return found;
  }

  async putStories(stories: readonly StoryRecord[]): Promise<void> {
    await this.kv.setMany(stories.map((s) => ({ key: storyKey(s.id), value: s })));
  }

  async commitGrowth(growth: readonly StoryGrowth[]): Promise<void> {
    const last = growth.at(-1);
    if (last === undefined) return;
    await this.kv.setMany(growth.map((g) => ({ key: growthKey(g.seq), value: g })));
    await this.kv.set(PROCESSED_SEQ, last.seq);
  }

  async readGrowth(afterSeq: number, upTo: number): Promise<StoryGrowth[]> {
    const floor = await this.#floor();
    const out: StoryGrowth[] = [];
    for (let from = Math.max(afterSeq + 1, floor); from <= upTo; from += CHUNK) {
      const seqs = range(from, Math.min(upTo, from + CHUNK - 1));
      const values = await this.kv.getMany(seqs.map(growthKey));
      values.forEach((value, i) => {
        const growth = decode(storyGrowthSchema, growthKey(seqs[i] ?? 0), value);
        if (growth !== undefined) out.push(growth);
      });
    }
    return out;
  }

  async forgetArticles(articleIds: readonly string[]): Promise<void> {
    await this.kv.deleteMany(articleIds.flatMap((id) => [processedKey(id), featuresKey(id)]));
  }

  async pruneGrowth(beforeSeq: number): Promise<string[]> {
    const floor = await this.#floor();
    if (beforeSeq <= floor) return [];
    const named = new Set<string>();
    for (const growth of await this.readGrowth(floor - 1, beforeSeq - 1)) {
      for (const s of growth.stories) named.add(s.storyId);
    }
    for (let from = floor; from < beforeSeq; from += CHUNK) {
      await this.kv.deleteMany(range(from, Math.min(beforeSeq - 1, from + CHUNK - 1)).map(growthKey));
    }
    await this.kv.set(GROWTH_FLOOR, beforeSeq);
    return [...named];
  }

  async deleteStories(storyIds: readonly string[]): Promise<void> {
    await this.kv.deleteMany(storyIds.map(storyKey));
  }

  async #floor(): Promise<number> {
    return decode(numberSchema, GROWTH_FLOOR, await this.kv.get(GROWTH_FLOOR)) ?? 1;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}
