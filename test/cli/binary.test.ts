// Runs the real launcher (bin/newsdigest.js -> dist/main.js) as a child process, as a user would.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/domain/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/newsdigest.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/newsdigest.js ...args` from the repository root; resolves with the exit code, whatever it is. */
function newsdigest(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve({ code: 0, stdout, stderr });
      else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
      else reject(error);
    });
  });
}

beforeAll(() => {
  // the launcher imports the compiled dist/; `npm ci` builds it, but a checkout without it still gets tested
  if (!existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  }
}, 180_000);

describe('bin/newsdigest.js', () => {
  it('digests examples/wire-day.jsonl to JSON and names the two bad lines on stderr', async () => {
    const result = await newsdigest([
      'digest',
      '--input',
      'examples/wire-day.jsonl',
      '--format',
      'json',
      '--now',
      '2025-03-20T00:00:00Z',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const digest = JSON.parse(result.stdout) as Digest;
    expect(Date.parse(digest.generatedAt)).toBe(Date.parse('2025-03-20T00:00:00Z'));
    expect(digest.stories.length).toBeGreaterThanOrEqual(3);

    const skipped = result.stderr.split('\n').filter((line) => line.includes('skipped'));
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatch(/wire-day\.jsonl:5: id: missing/);
    expect(skipped[1]).toMatch(/wire-day\.jsonl:9: not valid JSON/);
  });

  it('exits 2 with the usage on stderr for an unknown command', async () => {
    const result = await newsdigest(['nonsense']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "nonsense"');
    expect(result.stderr).toContain('usage: newsdigest <command>');
    expect(result.stdout).toBe('');
  });

  it('--version prints the version and exits 0', async () => {
    const result = await newsdigest(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^newsdigest \d+\.\d+\.\d+\n$/);
  });

  it('prints the usage when run with no arguments', async () => {
    const result = await newsdigest([]);
    expect(result.stdout).toContain('usage: newsdigest <command>');
    expect(result.stdout).toContain('digest');
    expect(result.code).toBe(2);
  });
});
