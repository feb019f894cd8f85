// Secrets kept out of everything the bot shows: passwords in storage and feed URLs, tokens. One idea of "masked"
// for every URL the bot prints, and one way to take known secrets out of text and out of errors a driver threw
// (drivers repeat the URL they were given, and an error's cause chain reaches the logs whole).

export const MASK = '***';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * A parameter holding a password (`password=`, `sslpassword=`, `passwd=`, `pass=`), in a URL query or a libpq
 * `key=value` string. The value runs to the next `&key=` (a raw `&` inside it is kept in the mask), to white space,
 * or over a quoted libpq value.
 */
const PASSWORD_PARAM =
  /(^|[?&;\s])([\w.-]*pass(?:word|wd)?\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*(?:&(?![\w.-]+=)[^\s&]*)*)/gi;

/**
 * The URL with its password replaced by `***`, whatever the password holds. The userinfo runs to the *last* `@`
 * (a password may contain `@`, `/`, `#` or `?` unencoded, and a driver may still read it so), and `password=`
 * parameters are masked too. An `@` in a query value makes more than the password masked: never less.
 */
export function maskUrlPassword(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (scheme === undefined) return maskPasswordParams(url);
  const rest = url.slice(scheme.length);
  const userinfo = splitUserinfo(rest);
  if (userinfo === null || userinfo.password === null) return scheme + maskPasswordParams(rest);
  return `${scheme}${userinfo.user}:${MASK}@${maskPasswordParams(userinfo.after)}`;
}

/**
 * Every password a URL carries, in each spelling a message may repeat it: as written, percent-decoded and
 * percent-encoded. For `redactSecrets` over what a driver said about the URL.
 */
export function urlPasswords(url: string): string[] {
  const found: string[] = [];
  const rest = url.replace(SCHEME, '');
  const password = splitUserinfo(rest)?.password;
  if (password) found.push(password);
  try {
    const parsed = new URL(url);
    if (parsed.password) found.push(parsed.password);
    for (const [key, value] of parsed.searchParams) if (/pass(?:word|wd)?$/i.test(key)) found.push(value);
  } catch {
    // not a WHATWG URL: the userinfo read above is all there is
  }
  for (const match of url.matchAll(PASSWORD_PARAM)) {
    const value = match[3] ?? '';
    found.push(value, value.replace(/^'|'$/g, ''));
  }
  return spellings(found);
}

/** The parts of AppConfig that hold secrets (a shape of its own, so config.ts can import this module). */
export interface SecretsOfConfig {
  readonly slack: { readonly botToken?: string; readonly signingSecret?: string; readonly appToken?: string };
  readonly discord: { readonly token?: string };
  readonly storage: { readonly url: string };
  /** The job queue's Redis, when the roles are split. */
  readonly jobs?: { readonly redis?: string | undefined };
  readonly feeds: readonly { readonly credentials?: { readonly username: string; readonly password: string } }[];
}

/**
 * Every secret a validated config holds, in each spelling a message may repeat it: the platform tokens, the storage
 * URL's and the job queue's passwords, and feed credentials (also as the Basic header they become), each also as a JSON string holds
 * it. For a logger that redacts its serialised lines.
 */
export function appSecrets(config: SecretsOfConfig): string[] {
  const { botToken, signingSecret, appToken } = config.slack;
  const tokens = [botToken, signingSecret, appToken, config.discord.token].filter((t): t is string => t !== undefined);
  const feeds = config.feeds.flatMap(({ credentials: c }) => {
    if (c === undefined) return [];
    const basic = Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64');
    return [...spellings(c.password === '' ? [c.username] : [c.password]), basic];
  });
  const queue = config.jobs?.redis === undefined ? [] : urlPasswords(config.jobs.redis);
  const all = [...tokens, ...urlPasswords(config.storage.url), ...queue, ...feeds];
  return [...new Set([...all, ...all.map((secret) => JSON.stringify(secret).slice(1, -1))])];
}

/** `text` with every occurrence of each secret replaced by `***` (longest first, so none is left half-shown). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(MASK);
  }
  return result;
}

/**
 * Takes the secrets out of an error in place: its message, stack and string properties (Node's URL errors carry the
 * whole `input`), and the same for every error it wraps. Returns the error, for `throw redactError(e, secrets)`.
 */
export function redactError<T>(error: T, secrets: readonly string[], depth = 0): T {
  if (!(error instanceof Error) || depth > 5 || secrets.length === 0) return error;
  const record = error as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(error), 'message', 'stack'])) {
    const value = record[key];
    try {
      if (typeof value === 'string') record[key] = redactSecrets(value, secrets);
      else if (value instanceof Error) redactError(value, secrets, depth + 1);
    } catch {
      // a read-only property: nothing we can do about it here
    }
  }
  redactError(error.cause, secrets, depth + 1);
  if (error instanceof AggregateError) for (const inner of error.errors) redactError(inner, secrets, depth + 1);
  return error;
}

/** `user:password@` at the start of `rest` (everything after `scheme://`); null when there is no userinfo. */
function splitUserinfo(rest: string): { user: string; password: string | null; after: string } | null {
  const at = rest.lastIndexOf('@');
  if (at < 0) return null;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0
    ? { user: userinfo, password: null, after: rest.slice(at + 1) }
    : { user: userinfo.slice(0, colon), password: userinfo.slice(colon + 1), after: rest.slice(at + 1) };
}

function maskPasswordParams(text: string): string {
  return text.replace(PASSWORD_PARAM, (_, lead: string, key: string, value: string) =>
    value === '' ? `${lead}${key}` : `${lead}${key}${MASK}`,
  );
}

function spellings(values: readonly string[]): string[] {
  const all = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    const decoded = safeDecode(value);
    for (const form of [value, decoded, encodeURIComponent(decoded)]) all.add(form);
  }
  return [...all];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
