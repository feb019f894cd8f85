// The `/digest` query language, shared by the Slack and Discord adapters:
//   /digest witkoff            /digest iran since:3d          /digest topic:"Prisoner swaps" since:2025-04-01
//   /digest source:reuters     /digest help                   /digest status            ... private
//   /digest "prisoner exchange" -gaza until:2025-04-10
// Pure: the current time is an argument. Bad syntax gets a message that says how to write it instead.

export interface DigestSearch {
  readonly kind: 'search';
  /** Lower-case words and "quoted phrases" that must all appear in an article's title, text or topic names. */
  readonly terms: readonly string[];
  /** Lower-case words (from `-word`) that must not appear. */
  readonly exclude: readonly string[];
  /** Start of the window, ISO. */
  readonly since: string;
  /** How the window was asked for, for messages ("the last 3 days", "since 2025-04-01"). */
  readonly sinceLabel: string;
  /** End of the window (exclusive), ISO; null for now. */
  readonly until: string | null;
  readonly untilLabel: string | null;
  readonly topic: string | null;
  readonly source: string | null;
  /** Answer only to the person who asked. */
  readonly private: boolean;
}

/** What an editor asks to change or see about the channel's feeds (answered to the asker only). */
export type EditorCommand =
  | { readonly kind: 'subscribe'; readonly url: string; readonly private: true }
  | { readonly kind: 'unsubscribe'; readonly feed: string; readonly private: true }
  | { readonly kind: 'mute' | 'unmute'; readonly source: string; readonly private: true }
  | { readonly kind: 'feeds' | 'topics'; readonly private: true };

/** Who asked an editor command, as the platform adapter found out. */
export interface Asker {
  /** The platform's user id, stored as who subscribed. */
  readonly id: string;
  /** May change the channel's feeds and mutes. */
  readonly mayEdit: boolean;
  /** Who may, for a refusal: "workspace admins and owners" and the like. */
  readonly whoMay: string;
}

export type DigestQuery =
  | DigestSearch
  | EditorCommand
  | { readonly kind: 'help'; readonly private: true }
  | { readonly kind: 'status'; readonly private: true }
  | { readonly kind: 'error'; readonly message: string; readonly private: true };

export const DEFAULT_SINCE_DAYS = 3;
const HOUR_MS = 3_600_000;
const UNITS: Record<string, { ms: number; name: string }> = {
  h: { ms: HOUR_MS, name: 'hour' },
  d: { ms: 24 * HOUR_MS, name: 'day' },
  w: { ms: 7 * 24 * HOUR_MS, name: 'week' },
};

export const DIGEST_HELP = `*/digest* builds a digest from the articles newsdigest has stored.
• \`/digest witkoff\`: articles mentioning a word (several words: all must appear; "quote a phrase")
• \`/digest iran since:3d\`: since 12h, 3d, 2w ago or a date (since:2025-04-01); default the last ${DEFAULT_SINCE_DAYS} days
• \`/digest "prisoner exchange" -gaza\`: a phrase, and a word that must not appear
• \`/digest iran since:2025-04-01 until:2025-04-10\`: a window that ends before now (until: takes a date or 2d ago)
• \`/digest topic:"Prisoner swaps"\`, \`/digest source:reuters\`: one topic, one outlet
• \`/digest status\`: feeds' health, last and next digest
• add \`private\` to get the answer only for yourself
• \`/digest feeds\`, \`/digest topics\`: this channel's feeds and their health; what it gets (topics, keywords, muted)
• \`/digest subscribe https://example.com/feed.xml\`, \`/digest unsubscribe NAME\`, \`/digest mute source:NAME\`, \`/digest unmute source:NAME\`: change this channel's feeds (editors only)`;

/** How each editor command is written, for its usage message. */
export const EDITOR_USAGE = {
  subscribe: '/digest subscribe https://example.com/feed.xml',
  unsubscribe: '/digest unsubscribe NAME (or its URL; /digest feeds lists them)',
  mute: '/digest mute source:NAME (quote a name with spaces: source:"Daily Planet")',
  unmute: '/digest unmute source:NAME',
  feeds: '/digest feeds',
  topics: '/digest topics',
} as const;

const EDITOR_WORDS = new Set(Object.keys(EDITOR_USAGE));

/** `/digest subscribe ...` and the like: the command, or a usage message; undefined when `words` is no such command. */
function parseEditorCommand(words: readonly string[]): EditorCommand | { error: string } | undefined {
  const first = words[0]?.toLowerCase() ?? '';
  if (!EDITOR_WORDS.has(first)) return undefined;
  const word = first as keyof typeof EDITOR_USAGE;
  const args = words.slice(1);
  const usage = { error: `usage: ${EDITOR_USAGE[word]}` };
  switch (word) {
    case 'feeds':
    case 'topics':
      return args.length === 0 ? { kind: word, private: true } : usage;
    case 'subscribe': {
      if (args.length !== 1) return usage;
      const url = slackLink(unquote(args[0] ?? ''));
      const problem = feedUrlProblem(url);
      return problem === null ? { kind: 'subscribe', url, private: true } : { error: `${problem}; ${usage.error}` };
    }
    case 'unsubscribe': {
      const feed = slackLink(unquote(args.join(' ')));
      return feed === '' ? usage : { kind: 'unsubscribe', feed, private: true };
    }
    case 'mute':
    case 'unmute': {
      const m = /^source:(.*)$/is.exec(args.join(' '));
      const source = unquote(m?.[1] ?? '');
      return m && source !== '' && source.length <= 100 ? { kind: word, source, private: true } : usage;
    }
  }
}

/** Slack sends a pasted link as <https://x|label> or <https://x> when it formats the text: the URL itself. */
function slackLink(value: string): string {
  const m = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(value);
  return (m?.[1] ?? value).trim();
}

/** Why a URL cannot be subscribed as it is written, or null. Its address is checked when it is fetched. */
export function feedUrlProblem(value: string): string | null {
  if (value.length > 2_000) return 'that URL is too long';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'a URL cannot hold control characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // "news.example/feed.xml", as a browser's address bar shows it: the scheme is all that is missing
    const withScheme = `https://${value}`;
    const guess = /^[\w.-]+\.[a-z]{2,}(?:[:/?#]|$)/i.test(value) && URL.canParse(withScheme) ? withScheme : null;
    return `${JSON.stringify(value.slice(0, 200))} is not a URL${guess ? `: did you mean ${guess}?` : ''}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${url.protocol} URLs are not feeds: use http(s)://`;
  if (url.username !== '' || url.password !== '') {
    return 'a URL with a user name or password cannot be subscribed from chat (ask the operator to add it to the config file)';
  }
  return null;
}

/** Splits on spaces, keeping "quoted phrases" (straight or curly quotes) together, also after `key:`. */
export function tokens(input: string): string[] | { error: string } {
  const out: string[] = [];
  const text = input.replace(/[“”]/g, '"').trim();
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) {
      i++;
      continue;
    }
    let token = '';
    while (i < text.length && !/\s/.test(text[i] ?? '')) {
      if (text[i] === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return { error: `a quote is not closed: ${text.slice(i)}` };
        token += text.slice(i, end + 1);
        i = end + 1;
      } else token += text[i++];
    }
    out.push(token);
  }
  return out;
}

const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1) : s).trim();

function parseSince(value: string, now: Date): { since: string; label: string } | { error: string } {
  const d = /^(\d{1,4})([hdw])$/i.exec(value);
  if (d) {
    const n = Number(d[1]);
    const unit = UNITS[(d[2] ?? '').toLowerCase()];
    if (!unit || n === 0) return { error: `since:${value} is not a duration: try since:3d` };
    return {
      since: new Date(now.getTime() - n * unit.ms).toISOString(),
      label: `the last ${n === 1 ? unit.name : `${n} ${unit.name}s`}`,
    };
  }
  if (/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(t)) return { error: `since:${value} is not a date: try since:2025-04-01` };
    if (t > now.getTime()) return { error: `since:${value} is in the future` };
    return { since: new Date(t).toISOString(), label: `since ${value}` };
  }
  return { error: `since:${value} is not a duration: try since:3d` };
}

export function parseDigestQuery(input: string, now: Date): DigestQuery {
  const split = tokens(input);
  if (!Array.isArray(split)) return { kind: 'error', message: split.error, private: true };
  const words = split.filter((t) => t.length > 0);
  const first = words[0]?.toLowerCase();
  if (words.length === 1 && (first === 'help' || first === '?')) return { kind: 'help', private: true };
  if (words.length === 1 && first === 'status') return { kind: 'status', private: true };
  const editor = parseEditorCommand(words);
  if (editor !== undefined) return 'error' in editor ? { kind: 'error', message: editor.error, private: true } : editor;

  let since = parseSince(`${DEFAULT_SINCE_DAYS}d`, now);
  let topic: string | null = null;
  let source: string | null = null;
  let isPrivate = false;
  let until: { until: string; label: string } | { error: string } | null = null;
  const terms: string[] = [];
  const exclude: string[] = [];
  for (const word of words) {
    const m = /^([a-z]+):(.*)$/i.exec(word);
    if (!m) {
      if (word.toLowerCase() === 'private') isPrivate = true;
      else if (word.length > 1 && word.startsWith('-')) exclude.push(unquote(word.slice(1)).toLowerCase());
      else terms.push(unquote(word).toLowerCase());
      continue;
    }
    const key = (m[1] ?? '').toLowerCase();
    const value = unquote(m[2] ?? '');
    if (value === '') return { kind: 'error', message: `${key}: needs a value, like ${example(key)}`, private: true };
    if (key === 'since') since = parseSince(value, now);
    else if (key === 'until') until = parseUntil(value, now);
    else if (key === 'topic') topic = value;
    else if (key === 'source') source = value.toLowerCase();
    else {
      return {
        kind: 'error',
        message: `${key}: is not something /digest understands: use since:, until:, topic: or source: (see /digest help)`,
        private: true,
      };
    }
  }
  if ('error' in since) return { kind: 'error', message: since.error, private: true };
  if (until !== null && 'error' in until) return { kind: 'error', message: until.error, private: true };
  if (until !== null && until.until <= since.since) {
    return { kind: 'error', message: `until: must come after since: (${since.label})`, private: true };
  }
  return {
    kind: 'search',
    terms: terms.filter((t) => t !== ''),
    exclude: exclude.filter((t) => t !== ''),
    since: since.since,
    sinceLabel: since.label,
    until: until?.until ?? null,
    untilLabel: until?.label ?? null,
    topic,
    source,
    private: isPrivate,
  };
}

/** `until:2025-04-10` (the end of that day) or `until:2d` (two days ago). */
function parseUntil(value: string, now: Date): { until: string; label: string } | { error: string } {
  const d = /^(\d{1,4})([hdw])$/i.exec(value);
  if (d) {
    const ago = parseSince(value, now);
    if ('error' in ago) return { error: ago.error.replace('since:', 'until:') };
    return { until: ago.since, label: `until ${ago.label.replace('the last ', '')} ago` };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(t)) return { error: `until:${value} is not a date: try until:2025-04-10` };
    return { until: new Date(t + 24 * HOUR_MS).toISOString(), label: `until ${value}` };
  }
  const t = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(t))
    return { until: new Date(t).toISOString(), label: `until ${value}` };
  return { error: `until:${value} is not a date or a duration: try until:2025-04-10 or until:2d` };
}

function example(key: string): string {
  if (key === 'since') return 'since:3d';
  if (key === 'until') return 'until:2025-04-10';
  if (key === 'topic') return 'topic:"Prisoner swaps"';
  if (key === 'source') return 'source:reuters';
  return `${key}:value`;
}

/** What a query asked for, in words: "about 'witkoff' in the last 3 days". */
export function describeQuery(q: DigestSearch): string {
  const parts: string[] = [];
  if (q.terms.length > 0) parts.push(`about ${q.terms.map((t) => `'${t}'`).join(' and ')}`);
  if (q.exclude.length > 0) parts.push(`without ${q.exclude.map((t) => `'${t}'`).join(' or ')}`);
  if (q.topic) parts.push(`in ${q.topic}`);
  if (q.source) parts.push(`from ${q.source}`);
  parts.push(q.sinceLabel.startsWith('since') ? q.sinceLabel : `in ${q.sinceLabel}`);
  if (q.untilLabel) parts.push(q.untilLabel);
  return parts.join(' ');
}

export interface Searchable {
  readonly title?: string | undefined;
  readonly text?: string | undefined;
  readonly source?: string | undefined;
  readonly publishedAt: string;
}

/** Whether an article (with its topic names) answers the query: every term, the topic, the outlet, the window. */
export function matchesQuery(article: Searchable, topics: readonly string[], q: DigestSearch): boolean {
  if (article.publishedAt < q.since) return false;
  if (q.until !== null && article.publishedAt >= q.until) return false;
  if (q.source && !(article.source ?? '').toLowerCase().includes(q.source)) return false;
  const topic = q.topic?.toLowerCase();
  if (topic && !topics.some((t) => t.toLowerCase().includes(topic))) return false;
  if (q.terms.length === 0) return true;
  const haystack = `${article.title ?? ''}\n${article.text ?? ''}\n${topics.join('\n')}`.toLowerCase();
  return q.terms.every((t) => haystack.includes(t)) && !q.exclude.some((t) => haystack.includes(t));
}
