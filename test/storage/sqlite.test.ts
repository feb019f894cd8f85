import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { defineStorageContract } from './contract.js';

const work = await mkdtemp(join(tmpdir(), 'newsdigest-storage-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const downUrl = async () => 'sqlite:///dev/null/cannot/be/created.sqlite';

defineStorageContract('SQLite (:memory:) storage contract', {
  backend: 'sqlite',
  url: 'sqlite://:memory:',
  persistent: false,
  downUrl,
});

// A relative path, resolved against `cwd`, in a directory that does not exist yet.
defineStorageContract('SQLite (file) storage contract', {
  backend: 'sqlite',
  url: 'sqlite://./data/nested/newsdigest.sqlite',
  cwd: work,
  persistent: true,
  downUrl,
});

describe('SQLite storage files', () => {
  it('creates the directory of a relative path under the working directory', async () => {
    const storage = await openStorage('sqlite://./made/here.sqlite', { cwd: work });
    await storage.close();
    expect((await stat(join(work, 'made', 'here.sqlite'))).isFile()).toBe(true);
  });
});
