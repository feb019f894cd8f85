// Which story each article joined, across runs. Keys: `article:<id>` -> story id (in the store's namespace).
import type { StoryStore } from '../ports.js';
import { keyPart } from './keys.js';
import { decode, type Kv } from './kv.js';
import { stringSchema } from './schemas.js';

const assignmentKey = (articleId: string): string => `article:${keyPart(articleId)}`;

export class KvStoryStore implements StoryStore {
  constructor(private readonly kv: Kv) {}

  async assignments(articleIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(articleIds)];
    const values = await this.kv.getMany(ids.map(assignmentKey));
    const found = new Map<string, string>();
    ids.forEach((id, i) => {
      const storyId = decode(stringSchema, assignmentKey(id), values[i]);
      if (storyId !== undefined) found.set(id, storyId);
    });
    return found;
  }

  async assign(entries: readonly { articleId: string; storyId: string }[]): Promise<void> {
    // The last entry for an article wins, as if they were assigned one after another.
    const latest = new Map(entries.map((e) => [e.articleId, e.storyId]));
    await this.kv.setMany(
      [...latest].map(([articleId, storyId]) => ({ key: assignmentKey(articleId), value: storyId })),
    );
  }
}
