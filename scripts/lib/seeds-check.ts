// Runs the real CLI on the seed articles and the shared scorer on its JSON, as a user would.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './eval-data.js';

/** The scorer's lines, or one line saying why the check could not run. */
export function scoreSeeds(evalDir: string): string[] {
  const shared = resolve(evalDir, '..');
  const seeds = join(shared, 'seeds');
  const gold = join(evalDir, 'seeds-gold.json');
  const scorer = join(shared, 'tools', 'score-digest.mjs');
  for (const path of [seeds, gold, scorer]) if (!existsSync(path)) return [`skipped: ${path} not found`];
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js')))
    return ['skipped: dist/main.js is missing; run `npm run build` first'];

  const cli = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'newsdigest.js'), 'digest', '--input', seeds, '--format', 'json'],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (cli.status !== 0 || cli.stdout.trim() === '') {
    const why = (cli.stderr || cli.error?.message || '').trim().split('\n').slice(0, 5);
    return [`CLI failed (exit ${cli.status ?? cli.signal}):`, ...why.map((l) => `  ${l}`)];
  }
  const out = join(tmpdir(), `newsdigest-seeds-${process.pid}.json`);
  writeFileSync(out, cli.stdout);
  const scored = spawnSync(process.execPath, [scorer, out, gold, seeds], { cwd: REPO_ROOT, encoding: 'utf8' });
  const lines = `${scored.stdout}${scored.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return [...lines, `(digest JSON: ${out})`];
}
