// The deployment files, checked without a Docker engine (there is none here): the repo's files pass the linter,
// the linter fails files that break each rule, and the HEALTHCHECK's command, run as Docker would run it, says
// healthy, unhealthy and down correctly against the real ops server.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheckCommand, lintDockerFiles } from '../../scripts/lint-docker.js';
import { startOpsServer } from '../../src/ops/ops-server.js';
import { closedPort } from '../storage/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('npm run lint:docker', () => {
  it('finds nothing wrong with the Dockerfile, .dockerignore and docker-compose.yml', () => {
    expect(lintDockerFiles(ROOT)).toEqual([]);
  });
});

describe('the linter fails what it should', () => {
  let dir: string;
  let dockerfile: string;
  let compose: string;
  let ignore: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsdigest-docker-'));
    const read = (f: string) => readFile(join(ROOT, f), 'utf8');
    dockerfile = await read('Dockerfile');
    compose = await read('docker-compose.yml');
    ignore = await read('.dockerignore');
    // what the Dockerfile copies, as empty stand-ins
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      await writeFile(join(dir, f), '{}');
    }
    for (const d of ['src', 'bin', 'config']) await mkdir(join(dir, d));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function lintWith(files: { dockerfile?: string; compose?: string; ignore?: string }): Promise<string[]> {
    await writeFile(join(dir, 'Dockerfile'), files.dockerfile ?? dockerfile);
    await writeFile(join(dir, 'docker-compose.yml'), files.compose ?? compose);
    await writeFile(join(dir, '.dockerignore'), files.ignore ?? ignore);
    return lintDockerFiles(dir).map((p) => `${p.file}: ${p.message}`);
  }

  it('passes the copies unchanged', async () => {
    expect(await lintWith({})).toEqual([]);
  });

  it.each([
    ['no HEALTHCHECK', (d: string) => d.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, ''), 'has no HEALTHCHECK'],
    ['running as root', (d: string) => d.replace('USER node', 'USER root'), 'runs as root'],
    ['dev dependencies shipped', (d: string) => d.replace('&& npm ci --omit=dev', '&& npm ci'), 'npm ci --omit=dev'],
    ['an unpinned base', (d: string) => d.replace('FROM node:24-bookworm-slim\n', 'FROM node:latest\n'), 'node:latest'],
    [
      'a shell-form entrypoint',
      (d: string) => d.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node bin/newsdigest.js'),
      'exec form',
    ],
    ['an unknown instruction', (d: string) => `${d}\nEXPOSES 80\n`, 'dockerfile-utils: Unknown instruction'],
  ])('a Dockerfile with %s', async (_what, change, expected) => {
    const problems = await lintWith({ dockerfile: change(dockerfile) });
    expect(problems.join('\n')).toContain(expected);
  });

  it('a .dockerignore that lets .env in, or shuts out what the image copies', async () => {
    expect((await lintWith({ ignore: ignore.replace(/^\.env\n/m, '') })).join('\n')).toContain('does not exclude .env');
    expect((await lintWith({ ignore: `${ignore}\nsrc\n` })).join('\n')).toContain(
      'COPY src: excluded by .dockerignore',
    );
  });

  it.each([
    [
      'a key compose does not know',
      (c: string) => c.replace('  init: true', '  init: true\n  inits: 3'),
      'compose-spec',
    ],
    [
      'a token in the file',
      (c: string) => c.replace(/\$\{DISCORD_TOKEN:-\}/, 'abc.def.ghi'),
      'DISCORD_TOKEN is written',
    ],
    ['one worker', (c: string) => c.replace('replicas: 2', 'replicas: 1'), 'not 2'],
    [
      'no Redis healthcheck',
      (c: string) => c.replace(/ {4}healthcheck:\n {6}test: \["CMD", "redis-cli", "ping"\]\n( {6}.*\n)*/, ''),
      'redis: missing',
    ],
  ])('a compose file with %s', async (_what, change, expected) => {
    const problems = await lintWith({ compose: change(compose) });
    expect(problems.join('\n')).toContain(expected);
  });
});

describe("the image's HEALTHCHECK command", () => {
  it('is exec form, run with node (no curl in a slim image)', async () => {
    const command = healthcheckCommand(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(command?.[0]).toBe('node');
    expect(healthcheckCommand('FROM node:24-bookworm-slim\nHEALTHCHECK CMD node -e "x"\n')).toBeNull();
  });

  it('exits 0 when /healthz is 200, 1 when it is 503, 1 when nothing listens', async () => {
    const command = healthcheckCommand(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    if (!command) throw new Error('no HEALTHCHECK command');
    const [, ...args] = command;
    let ready = true;
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      checks: [
        {
          name: 'storage',
          check: () => {
            if (!ready) throw new Error('down');
          },
        },
      ],
    });
    const exitCode = async (port: number) =>
      run(process.execPath, args, { env: { ...process.env, NEWSDIGEST_OPS_PORT: String(port) }, timeout: 10_000 }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    try {
      expect(await exitCode(server.port)).toBe(0);
      ready = false;
      expect(await exitCode(server.port)).toBe(1);
    } finally {
      await server.close();
    }
    expect(await exitCode(await closedPort())).toBe(1);
  });
});
