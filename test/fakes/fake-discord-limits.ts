import type { IncomingMessage } from 'node:http';
// What the fake Discord refuses, and how it says so, checked the way Discord documents it and written here independently of
// src/discord/limits.ts, so a wrong number in either one shows up as a failing test.

export type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FormError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

const max = (path: string, value: unknown, limit: number, out: FormError[]) => {
  if (typeof value === 'string' && value.length > limit) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` });
  }
};
const required = (path: string, value: unknown, out: FormError[]) => {
  if (typeof value !== 'string' || value.length === 0) {
    out.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  }
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem with a message body (create, edit, interaction reply, forum post's first message). */
export function messageErrors(body: unknown, prefix = ''): FormError[] {
  const out: FormError[] = [];
  if (!isObject(body))
    return [
      { path: prefix || 'body', code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' },
    ];
  max(`${prefix}content`, body.content, 2000, out);
  const embeds = body.embeds ?? [];
  if (!Array.isArray(embeds))
    return [...out, { path: `${prefix}embeds`, code: 'LIST_TYPE_CONVERT', message: 'Must be an array' }];
  if (embeds.length > 10) {
    out.push({ path: `${prefix}embeds`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  }
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    const p = `${prefix}embeds.${i}.`;
    if (!isObject(embed)) return;
    max(`${p}title`, embed.title, 256, out);
    max(`${p}description`, embed.description, 4096, out);
    total += String(embed.title ?? '').length + String(embed.description ?? '').length;
    if (embed.url !== undefined && !/^https?:\/\/\S+$/.test(String(embed.url))) {
      out.push({ path: `${p}url`, code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
    }
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25)
      out.push({ path: `${p}fields`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    fields.forEach((field: unknown, j) => {
      const f = isObject(field) ? field : {};
      required(`${p}fields.${j}.name`, f.name, out);
      required(`${p}fields.${j}.value`, f.value, out);
      max(`${p}fields.${j}.name`, f.name, 256, out);
      max(`${p}fields.${j}.value`, f.value, 1024, out);
      total += String(f.name ?? '').length + String(f.value ?? '').length;
    });
    if (isObject(embed.footer)) {
      max(`${p}footer.text`, embed.footer.text, 2048, out);
      total += String(embed.footer.text ?? '').length;
    }
    if (isObject(embed.author)) {
      max(`${p}author.name`, embed.author.name, 256, out);
      total += String(embed.author.name ?? '').length;
    }
  });
  if (total > 6000) {
    out.push({
      path: `${prefix}embeds`,
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  }
  return out;
}

export function threadErrors(body: unknown): FormError[] {
  const out: FormError[] = [];
  const b = isObject(body) ? body : {};
  required('name', b.name, out);
  max('name', b.name, 100, out);
  if (b.auto_archive_duration !== undefined && ![60, 1440, 4320, 10080].includes(Number(b.auto_archive_duration))) {
    out.push({
      path: 'auto_archive_duration',
      code: 'BASE_TYPE_CHOICES',
      message: 'Value must be one of (60, 1440, 4320, 10080).',
    });
  }
  return out;
}

export function commandErrors(body: unknown): FormError[] {
  const out: FormError[] = [];
  if (!Array.isArray(body)) return [{ path: 'body', code: 'LIST_TYPE_CONVERT', message: 'Must be an array' }];
  body.forEach((command: unknown, i) => {
    const c = isObject(command) ? command : {};
    if (typeof c.name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(c.name) || c.name !== c.name.toLowerCase()) {
      out.push({ path: `${i}.name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    }
    required(`${i}.description`, c.description, out);
    max(`${i}.description`, c.description, 100, out);
    const options = Array.isArray(c.options) ? c.options : [];
    if (options.length > 25)
      out.push({ path: `${i}.options`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    options.forEach((option: unknown, j) => {
      const o = isObject(option) ? option : {};
      max(`${i}.options.${j}.description`, o.description, 100, out);
      const choices = Array.isArray(o.choices) ? o.choices : [];
      if (choices.length > 25) {
        out.push({
          path: `${i}.options.${j}.choices`,
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 25 or fewer in length.',
        });
      }
    });
  });
  return out;
}

/** Discord's nested error shape: `{ embeds: { 0: { description: { _errors: [...] } } } }`. */
export function nestErrors(errors: readonly FormError[]): Json {
  const root: Json = {};
  for (const e of errors) {
    let node = root;
    for (const key of e.path.split('.')) {
      const next = isObject(node[key]) ? (node[key] as Json) : {};
      node[key] = next;
      node = next;
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    node._errors = [...list, { code: e.code, message: e.message }];
  }
  return root;
}

/** Parameter-free route template: ids become `:id`, fixed words stay. */
export function routeOf(parts: readonly string[]): string {
  const words =
    /^(gateway|bot|applications|users|@me|@original|commands|guilds|channels|messages|threads|interactions|callback|webhooks)$/;
  return `/${parts.map((p) => (words.test(p) ? p : ':id')).join('/')}`;
}

export function checkMessage(body: unknown): Reply | null {
  const b: Json = isObject(body) ? body : {};
  const invalid = formError(messageErrors(body));
  if (invalid) return invalid;
  const empty =
    !(typeof b.content === 'string' && b.content.length > 0) && !(Array.isArray(b.embeds) && b.embeds.length > 0);
  return empty ? error(400, 50006, 'Cannot send an empty message') : null;
}

export function formError(errors: readonly FormError[]): Reply | null {
  if (errors.length === 0) return null;
  return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors: nestErrors(errors) } };
}

export function tooMany(ms: number): Reply {
  const seconds = (Math.max(ms, 1) / 1000).toFixed(3);
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: Number(seconds), global: false },
    headers: {
      'retry-after': seconds,
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': seconds,
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': 'user',
    },
  };
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseBody(raw: string, type: string): unknown {
  if (raw === '') return undefined;
  if (type.startsWith('multipart/form-data')) {
    const json = /name="payload_json"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
    return json === undefined ? undefined : JSON.parse(json);
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
