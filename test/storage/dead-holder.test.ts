// A process killed (SIGKILL) while it holds a lock: a process of the same machine takes the lock over at once,
// instead of waiting for the lease to run out (30 s), because the lease names its holder's host and pid.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { deadOnThisHost } from '../../src/storage/leases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'newsdigest-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a lock whose holder died', () => {
  it('is taken over at once by a process of the same machine', async () => {
    const url = `sqlite://${join(dir, 'store.sqlite')}`;
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { openStorage } from './src/storage/index.ts';
         const s = await openStorage(${JSON.stringify(url)});
         setInterval(() => {}, 1000);
         await s.locks.withLock('ingest', 0, async () => { console.log('held'); await new Promise(() => {}); });`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const storage = await openStorage(url);
    try {
      // alive: refused
      expect(await storage.locks.withLock('ingest', 0, async () => 'mine')).toEqual({ held: false });
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const started = Date.now();
      expect(await storage.locks.withLock('ingest', 5_000, async () => 'mine')).toEqual({ held: true, value: 'mine' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await storage.close();
    }
  }, 30_000);

  it('tells a dead local process from a live one and from one on another host', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    expect(deadOnThisHost(`${hostname()}/${gone.pid}/t`)).toBe(true);
    expect(deadOnThisHost(`${hostname()}/${process.pid}/t`)).toBe(false);
    expect(deadOnThisHost(`another-host.example/${gone.pid}/t`)).toBe(false);
    expect(deadOnThisHost('not a token')).toBe(false);
  });
});
