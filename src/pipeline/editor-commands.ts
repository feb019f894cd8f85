// What `/digest subscribe|unsubscribe|mute|unmute|feeds|topics` do, for Slack and Discord alike: the platform
// adapters say who asked, in which configured channel, and whether that person may change it; this answers in plain
// text (the adapters escape it for their markup). The config file is the base: chat adds feeds and mutes on top,
// and removes only what chat added.
import {
  type ChannelOverrides,
  MAX_MUTED_PER_CHANNEL,
  MAX_SUBSCRIPTIONS_PER_CHANNEL,
  type SubscribedFeed,
} from '../domain/channel-filter.js';
import { type Asker, type EditorCommand, feedUrlProblem } from '../domain/digest-query.js';
import type { FeedHealth } from '../domain/feed-health.js';
import { plural } from '../domain/plural.js';
import type { ChannelSettingsStore } from '../ports.js';

/** A configured channel as editors see it. */
export interface EditableChannel {
  readonly id: string;
  readonly topics: readonly string[];
  /** Feed names it follows by config; null: the global list. */
  readonly feeds: readonly string[] | null;
  readonly keywords: readonly string[];
  readonly exclusions: readonly string[];
  readonly mutedSources: readonly string[];
  /** IANA zone the channel's times are shown in (UTC when absent). */
  readonly timezone?: string;
}

export interface EditorDeps {
  readonly settings: ChannelSettingsStore;
  /** Every configured feed (global and channel-only), by name. */
  readonly configFeeds: readonly { readonly name: string; readonly url: string }[];
  /** Names of the global list's feeds. */
  readonly globalFeeds: readonly string[];
  readonly health: (url: string) => Promise<FeedHealth | undefined>;
  /** Fetches the URL once through the poller's address guard and fetcher; why it is not a feed, or null. */
  readonly validateFeed: (url: string) => Promise<string | null>;
  /** Minutes between polls of a subscribed feed. */
  readonly pollMinutes: number;
  readonly now: () => Date;
  /** A time as the channel's people read it, in its zone (the same formatter as its digests). */
  readonly dateTime?: (iso: string, timeZone: string) => string;
}

const CHANGES = new Set<EditorCommand['kind']>(['subscribe', 'unsubscribe', 'mute', 'unmute']);

/** The answer to an editor command asked in `channel` (null: a chat channel the config does not name). */
export async function answerEditorCommand(
  command: EditorCommand,
  channel: EditableChannel | null,
  asker: Asker,
  deps: EditorDeps,
): Promise<string> {
  if (channel === null) {
    return 'This channel gets no scheduled digest (it is not in the config file), so it has no feeds to show or change. Ask whoever runs newsdigest to add it.';
  }
  if (CHANGES.has(command.kind) && !asker.mayEdit) {
    return `Sorry, only ${asker.whoMay} can change this channel's feeds and muted outlets. \`/digest feeds\` and \`/digest topics\` show what it gets.`;
  }
  const own = (await deps.settings.get(channel.id)) ?? { channel: channel.id, subscriptions: [], muted: [] };
  switch (command.kind) {
    case 'feeds':
      return feedsOf(channel, own, deps);
    case 'topics':
      return topicsOf(channel, own);
    case 'subscribe':
      return subscribe(command.url, channel, asker, deps);
    case 'unsubscribe':
      return unsubscribe(command.feed, channel, own, deps);
    case 'mute':
      return mute(command.source, channel, deps.settings);
    case 'unmute':
      return unmute(command.source, channel, deps.settings);
  }
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const sameUrl = (a: string, b: string) => normalUrl(a) === normalUrl(b);

function normalUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** The configured feeds the channel follows, by name. */
function configuredOf(channel: EditableChannel, deps: EditorDeps) {
  const names = channel.feeds ?? deps.globalFeeds;
  return deps.configFeeds.filter((f) => names.some((n) => same(n, f.name)));
}

async function subscribe(url: string, channel: EditableChannel, asker: Asker, deps: EditorDeps): Promise<string> {
  const configured = configuredOf(channel, deps).find((f) => sameUrl(f.url, url));
  if (configured) return `This channel already gets ${configured.name} (${configured.url}) from the config file.`;
  const current = await deps.settings.get(channel.id);
  const already = current?.subscriptions.find((s) => sameUrl(s.url, url));
  if (already) return `This channel is already subscribed to ${already.name} (${already.url}).`;
  if ((current?.subscriptions.length ?? 0) >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
    return `This channel has ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions, the most it may have: unsubscribe one first.`;
  }
  const problem = await deps.validateFeed(url);
  if (problem !== null) return `Could not subscribe to ${url}: ${problem}`;
  const name = await feedNameFor(url, deps);
  const feed: SubscribedFeed = { url: normalUrl(url), name, addedBy: asker.id, addedAt: deps.now().toISOString() };
  let added = false;
  await deps.settings.update(channel.id, (c) => {
    if (c.subscriptions.some((s) => sameUrl(s.url, url)) || c.subscriptions.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
      return c;
    }
    added = true;
    return { ...c, subscriptions: [...c.subscriptions, feed] };
  });
  if (!added) return `This channel is already subscribed to ${url}.`;
  return (
    `Subscribed this channel to ${name} (${feed.url}). Its first poll, within ${plural(deps.pollMinutes, 'minute')}, ` +
    'stores what it lists now as background (searchable, never posted); new items after that come in the digests.'
  );
}

/**
 * The name articles of this URL are stored under: the configured feed's, another channel's subscription's, else the
 * host (with the path when another feed has that name already), so one URL has one name everywhere.
 */
async function feedNameFor(url: string, deps: EditorDeps, pending: readonly SubscribedFeed[] = []): Promise<string> {
  const configured = deps.configFeeds.find((f) => sameUrl(f.url, url));
  if (configured) return configured.name;
  const all = [...(await deps.settings.list()).flatMap((c) => c.subscriptions), ...pending];
  const subscribed = all.find((s) => sameUrl(s.url, url));
  if (subscribed) return subscribed.name;
  const parsed = new URL(url);
  const taken = (name: string) =>
    deps.configFeeds.some((f) => same(f.name, name)) || all.some((s) => same(s.name, name));
  if (!taken(parsed.host)) return parsed.host;
  const longer = `${parsed.host}${parsed.pathname}`.replace(/\/$/, '');
  return taken(longer) ? normalUrl(url) : longer;
}

async function unsubscribe(
  which: string,
  channel: EditableChannel,
  own: ChannelOverrides,
  deps: EditorDeps,
): Promise<string> {
  const found = own.subscriptions.find((s) => same(s.name, which) || sameUrl(s.url, which));
  if (found) {
    await deps.settings.update(channel.id, (c) => ({
      ...c,
      subscriptions: c.subscriptions.filter((s) => !sameUrl(s.url, found.url)),
    }));
    return `Unsubscribed this channel from ${found.name} (${found.url}).`;
  }
  const configured = configuredOf(channel, deps).find((f) => same(f.name, which) || sameUrl(f.url, which));
  if (configured) {
    return (
      `${configured.name} comes from the config file, which chat cannot change: ask whoever runs newsdigest, ` +
      `or hide it here with \`/digest mute source:${quoteName(configured.name)}\`.`
    );
  }
  const names = own.subscriptions.map((s) => s.name);
  return names.length > 0
    ? `This channel has no subscription called ${which}. Its subscriptions: ${names.join(', ')}.`
    : `This channel has no subscriptions from chat; \`/digest feeds\` lists what it follows.`;
}

async function mute(source: string, channel: EditableChannel, settings: ChannelSettingsStore): Promise<string> {
  if (channel.mutedSources.some((m) => same(m, source))) return `${source} is already muted by the config file.`;
  let outcome = 'added' as 'added' | 'already' | 'full';
  await settings.update(channel.id, (c) => {
    if (c.muted.some((m) => same(m, source))) outcome = 'already';
    else if (c.muted.length >= MAX_MUTED_PER_CHANNEL) outcome = 'full';
    else return { ...c, muted: [...c.muted, source.trim()] };
    return c;
  });
  if (outcome === 'already') return `${source} is already muted in this channel.`;
  if (outcome === 'full')
    return `This channel mutes ${MAX_MUTED_PER_CHANNEL} outlets, the most it may: unmute one first.`;
  return `Muted ${source}: its articles are no longer shown in this channel (from the next digest).`;
}

async function unmute(source: string, channel: EditableChannel, settings: ChannelSettingsStore): Promise<string> {
  let removed = false;
  await settings.update(channel.id, (c) => {
    const muted = c.muted.filter((m) => !same(m, source));
    removed = muted.length < c.muted.length;
    return removed ? { ...c, muted } : c;
  });
  if (removed) return `Unmuted ${source}: its articles are shown in this channel again (from the next digest).`;
  if (channel.mutedSources.some((m) => same(m, source))) {
    return `${source} is muted by the config file, which chat cannot change: ask whoever runs newsdigest.`;
  }
  return `${source} is not muted in this channel.`;
}

async function feedsOf(channel: EditableChannel, own: ChannelOverrides, deps: EditorDeps): Promise<string> {
  const configured = configuredOf(channel, deps);
  const lines: string[] = [];
  const from = channel.feeds === null ? 'the global feed list' : "this channel's list";
  lines.push(`From the config file (${from}): ${plural(configured.length, 'feed')}`);
  const shown = (iso: string) =>
    deps.dateTime ? deps.dateTime(iso, channel.timezone ?? 'UTC') : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  for (const f of configured) lines.push(`• ${f.name}: ${healthWords(await deps.health(f.url), shown)}`);
  lines.push(`Subscribed from chat: ${plural(own.subscriptions.length, 'feed')}`);
  for (const s of own.subscriptions) {
    lines.push(
      `• ${s.name} (${s.url}), by ${s.addedBy} on ${s.addedAt.slice(0, 10)}: ${healthWords(await deps.health(s.url), shown)}`,
    );
  }
  return lines.join('\n');
}

function healthWords(h: FeedHealth | undefined, shown: (iso: string) => string): string {
  if (!h) return 'not polled yet';
  if (h.pausedAt) return `PAUSED after ${plural(h.consecutiveFailures, 'failure')} (${h.lastError ?? 'error'})`;
  if (h.consecutiveFailures > 0) return `failing: ${h.lastError ?? 'error'} (${h.consecutiveFailures} in a row)`;
  const last = h.lastSuccessAt ? `, last polled ${shown(h.lastSuccessAt)}` : '';
  return `ok, ${plural(h.items, 'item')} listed${last}`;
}

function topicsOf(channel: EditableChannel, own: ChannelOverrides): string {
  const list = (items: readonly string[], none: string) => (items.length > 0 ? items.join(', ') : none);
  const muted = [...channel.mutedSources.map((m) => `${m} (config)`), ...own.muted];
  return [
    `Topics: ${list(channel.topics, 'all topics')}`,
    `Keywords (a story must mention one): ${list(channel.keywords, 'none: every story')}`,
    `Exclusions (a story mentioning one is left out): ${list(channel.exclusions, 'none')}`,
    `Muted outlets: ${list(muted, 'none')}`,
    `Feeds: ${channel.feeds === null ? 'the global list' : "the channel's own list"}${own.subscriptions.length > 0 ? `, plus ${plural(own.subscriptions.length, 'subscription')} from chat` : ''} (\`/digest feeds\` lists them)`,
  ].join('\n');
}

function quoteName(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}

export interface BulkSubscription {
  readonly added: readonly SubscribedFeed[];
  readonly skipped: readonly { readonly url: string; readonly reason: string }[];
}

/**
 * Subscribes a channel to many feeds at once (an OPML import): each URL checked as chat checks one (written as a
 * feed URL, not followed already, fetched and parsed through the poller), `concurrency` fetched at a time; the valid
 * ones appended to the channel's subscriptions in one change, so the existing list is never lost.
 */
export async function subscribeAll(
  urls: readonly string[],
  channel: EditableChannel,
  by: string,
  deps: EditorDeps,
  concurrency: number,
): Promise<BulkSubscription> {
  const skipped: { url: string; reason: string }[] = [];
  const current = (await deps.settings.get(channel.id))?.subscriptions ?? [];
  const configured = configuredOf(channel, deps);
  const candidates: string[] = [];
  for (const url of urls) {
    const problem = feedUrlProblem(url);
    const reason =
      problem ??
      (configured.some((f) => sameUrl(f.url, url))
        ? 'the channel follows it in the config file already'
        : current.some((s) => sameUrl(s.url, url))
          ? 'the channel is subscribed already'
          : candidates.some((c) => sameUrl(c, url))
            ? 'listed twice'
            : current.length + candidates.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL
              ? `the channel has ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions, the most it may`
              : null);
    if (reason === null) candidates.push(url);
    else skipped.push({ url, reason });
  }
  const problems = new Array<string | null>(candidates.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const at = next++;
      problems[at] = await deps.validateFeed(candidates[at] ?? '');
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, candidates.length)) }, worker));
  const added: SubscribedFeed[] = [];
  for (const [k, url] of candidates.entries()) {
    const problem = problems[k];
    if (problem) {
      skipped.push({ url, reason: problem });
      continue;
    }
    // names are given one by one, so two new feeds of one host get names of their own
    const name = await feedNameFor(url, deps, added);
    added.push({ url: normalUrl(url), name, addedBy: by, addedAt: deps.now().toISOString() });
  }
  if (added.length > 0) {
    await deps.settings.update(channel.id, (c) => ({
      ...c,
      subscriptions: [...c.subscriptions, ...added.filter((a) => !c.subscriptions.some((s) => sameUrl(s.url, a.url)))],
    }));
  }
  return { added, skipped };
}
