// What one channel lets through: the feeds it follows, the words a story must (or must not) carry, the outlets it
// never shows. The config file gives the base; editors add to it from chat (subscriptions, mutes). Pure.
//
// Rules (docs/self-service.md says the same for editors):
// - A channel follows its configured `feeds` (else the global list), plus the feeds subscribed from chat in it.
// - An article is visible in a channel when its feed is followed and neither its outlet (source) nor its feed is
//   muted (names compared ignoring case, whole name only).
// - Keywords and exclusions are matched on an article's title and text, ignoring case, as whole words or phrases.
//   A story is shown when one of its visible articles matches a keyword (any article when there are no keywords)
//   and none of its visible articles matches an exclusion.

/** A feed subscribed from chat (or imported from OPML) for one channel. */
export interface SubscribedFeed {
  readonly url: string;
  readonly name: string;
  /** Who subscribed it: a chat user id, or `cli` for an import. */
  readonly addedBy: string;
  /** ISO. */
  readonly addedAt: string;
}

/** What editors changed for one channel from chat, on top of its configuration. */
export interface ChannelOverrides {
  /** The channel's id in the configuration. */
  readonly channel: string;
  readonly subscriptions: readonly SubscribedFeed[];
  /** Outlets muted from chat (as typed). */
  readonly muted: readonly string[];
}

/** The configured part of a channel's filter. */
export interface ChannelFilterConfig {
  /** Names of the feeds the channel follows; null: the global feed list. */
  readonly feeds: readonly string[] | null;
  readonly keywords: readonly string[];
  readonly exclusions: readonly string[];
  readonly mutedSources: readonly string[];
}

/** The filter as applied: config and chat merged. */
export interface ChannelFilter {
  /** Lower-case feed names followed; null: every feed (no channel-only feed exists to keep out). */
  readonly feeds: ReadonlySet<string> | null;
  readonly keywords: readonly string[];
  readonly exclusions: readonly string[];
  /** Lower-case outlet or feed names never shown. */
  readonly muted: ReadonlySet<string>;
}

/** The article fields a filter reads. */
export interface FilterableArticle {
  readonly feed: string;
  readonly source: string | null;
  readonly title: string;
  /** The article's text, one paragraph an entry. */
  readonly paragraphs: readonly string[];
}

/** Most subscriptions one channel may have from chat: the poll list stays bounded. */
export const MAX_SUBSCRIPTIONS_PER_CHANNEL = 500;
/** Most outlets one channel may mute from chat. */
export const MAX_MUTED_PER_CHANNEL = 200;

const lower = (v: string) => v.trim().toLowerCase();

/**
 * Config and chat merged. `globalFeeds` is the global list's feed names; `everyFeedIsGlobal` says no channel-only
 * feed exists anywhere (config extras, any channel's subscriptions), so a channel following the global list needs
 * no feed check at all.
 */
export function channelFilter(
  config: ChannelFilterConfig,
  overrides: ChannelOverrides | undefined,
  globalFeeds: readonly string[],
  everyFeedIsGlobal: boolean,
): ChannelFilter {
  const own = overrides?.subscriptions.map((s) => s.name) ?? [];
  const feeds =
    config.feeds === null && everyFeedIsGlobal ? null : new Set([...(config.feeds ?? globalFeeds), ...own].map(lower));
  return {
    feeds,
    keywords: config.keywords.map(lower).filter((k) => k !== ''),
    exclusions: config.exclusions.map(lower).filter((k) => k !== ''),
    muted: new Set([...config.mutedSources, ...(overrides?.muted ?? [])].map(lower)),
  };
}

/** Whether the filter lets every article through, so a story needs no reading to be judged. */
export function isOpen(filter: ChannelFilter): boolean {
  return filter.feeds === null && filter.keywords.length === 0 && filter.exclusions.length === 0 && !filter.muted.size;
}

/** Whether the article may be shown in the channel at all: a followed feed, an outlet not muted. */
export function isVisible(article: Pick<FilterableArticle, 'feed' | 'source'>, filter: ChannelFilter): boolean {
  const feed = lower(article.feed);
  if (filter.feeds !== null && !filter.feeds.has(feed)) return false;
  if (filter.muted.has(feed)) return false;
  return article.source === null || !filter.muted.has(lower(article.source));
}

/** Whether a story of these visible articles is shown: a keyword somewhere (when any), no exclusion anywhere. */
export function storyPasses(visible: readonly FilterableArticle[], filter: ChannelFilter): boolean {
  if (visible.length === 0) return false;
  if (filter.keywords.length === 0 && filter.exclusions.length === 0) return true;
  const texts = visible.map((a) => `${a.title}\n${a.paragraphs.join('\n')}`.toLowerCase());
  if (filter.exclusions.some((word) => texts.some((t) => containsWord(t, word)))) return false;
  return filter.keywords.length === 0 || filter.keywords.some((word) => texts.some((t) => containsWord(t, word)));
}

/** `word` (a word or a phrase, lower case) in lower-case `text`, not as part of a longer word. */
export function containsWord(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : (text[at - 1] ?? '');
    const after = text[at + word.length] ?? '';
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

function isWordChar(c: string): boolean {
  return c !== '' && /[\p{L}\p{N}]/u.test(c);
}

/** Keywords as configured: `-word` entries are exclusions. */
export function splitKeywords(entries: readonly string[]): { keywords: string[]; exclusions: string[] } {
  const keywords: string[] = [];
  const exclusions: string[] = [];
  for (const entry of entries) {
    const e = entry.trim();
    if (e.startsWith('-') && e.length > 1) exclusions.push(e.slice(1).trim());
    else if (e !== '') keywords.push(e);
  }
  return { keywords, exclusions };
}
