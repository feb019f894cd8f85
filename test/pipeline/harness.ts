// The run loop as an operator runs it, for end-to-end tests: a feed server on 127.0.0.1 serving RSS the test
// controls, the real fetch/parse/address guard, storage on SQLite, the story engine, a fake clock, and a
// recording publisher per channel. `restart()` builds a new app over the same storage, as a new process would.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlanOf } from '../../src/compose.js';
import { parseConfig } from '../../src/config.js';
import { parseDigestQuery } from '../../src/domain/digest-query.js';
import { compileTopics } from '../../src/domain/topics.js';
import type { ArticleInput } from '../../src/domain/types.js';
import { AddressGuard } from '../../src/feeds/address-guard.js';
import { feedSource, httpFeedFetcher } from '../../src/feeds/poll-feed.js';
import type { App } from '../../src/pipeline/app.js';
import { StoryIngest } from '../../src/pipeline/ingest.js';
import { answerSearch } from '../../src/pipeline/search.js';
import type { Logger, ProcessedRecord, QueryAnswer, StoryStore } from '../../src/ports.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { FakeTimetable } from '../fakes/fake-timetable.js';
import { body, type FeedServer, startFeedServer, status } from '../fakes/feed-server.js';
import { RecordingPublisher } from '../fakes/recording-publisher.js';

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An item as a feed lists it: the article, and the date the feed writes (raw, so it can be absurd). */
export interface FeedEntry {
  readonly article: ArticleInput;
  readonly pubDate: string;
}

export function rss(entries: readonly FeedEntry[]): string {
  const xml = entries
    .map(
      ({ article: a, pubDate }) => `<item><guid>${a.id}</guid><title>${esc(a.title ?? a.id)}</title>
<link>https://news.example/${a.id}</link><pubDate>${pubDate}</pubDate><description>${esc(
        (a.text ?? '')
          .split('\n')
          .map((p) => `<p>${p}</p>`)
          .join(''),
      )}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${xml}</channel></rss>`;
}

/** Processing results by feed item id (the id the test gave the article), read through the ingest log. */
export async function processedOf(h: Harness): Promise<Map<string, ProcessedRecord>> {
  const { articles, stories } = h.storage;
  const entries = await articles.readLog(0, await articles.head());
  const stored = await articles.getMany(entries.flatMap((e) => e.articleIds));
  const processed = await stories.getProcessed(stored.map((a) => a.id));
  const out = new Map<string, ProcessedRecord>();
  for (const a of stored) {
    const p = processed.get(a.id);
    if (p && a.url) out.set(a.url.replace('https://news.example/', ''), p);
  }
  return out;
}

const STORY_STORE_METHODS = [
  'processedSeq',
  'getProcessed',
  'getRestorable',
  'putProcessed',
  'getStories',
  'putStories',
  'commitGrowth',
  'readGrowth',
  'forgetArticles',
  'pruneGrowth',
  'deleteStories',
] as const;

/** The story store with some methods replaced (to count calls or stage a crash), the rest passed through. */
/** `/digest <input>` answered from the harness's store as chat would, for `channel` (its id) or none. */
export async function askDigest(h: Harness, input: string, channel: string | null = null): Promise<QueryAnswer> {
  const query = parseDigestQuery(input, h.now);
  if (query.kind !== 'search') throw new Error(`${input}: ${query.kind}`);
  const deps = {
    stories: h.storage.stories,
    search: h.storage.search,
    ledger: h.storage.deliveries,
    topicOrder: h.app.plan.topicOrder,
    retentionDays: 30,
    now: () => h.now,
  };
  return answerSearch(deps, query, channel);
}

export function withStories(stories: StoryStore, overrides: Partial<StoryStore>): StoryStore {
  const passed = Object.fromEntries(STORY_STORE_METHODS.map((m) => [m, stories[m].bind(stories)]));
  return { ...(passed as unknown as StoryStore), ...overrides };
}

export interface ChannelLine {
  readonly id: string;
  readonly schedule?: string;
  readonly whenEmpty?: 'skip' | 'notice';
  readonly topics?: readonly string[];
  readonly maxStories?: number;
  /** More of the channel's YAML flow mapping, e.g. `feeds: [a], mutedSources: [b]`. */
  readonly extra?: string;
}

export interface Harness {
  readonly server: FeedServer;
  readonly storage: Storage;
  readonly publisher: RecordingPublisher;
  /** Items each feed lists now, newest last. */
  readonly feeds: Map<string, FeedEntry[]>;
  /** Feeds answering 500 while listed here. */
  readonly failing: Set<string>;
  now: Date;
  app: App;
  readonly timetable: FakeTimetable;
  /** A new app over the same storage (a process restart); `stories` may wrap the story store (to stage crashes). */
  restart(wrap?: (stories: StoryStore) => StoryStore): App;
  /** Adds an item to a feed, dated `pubDate` (RFC 822 or anything a feed might write), default now. */
  publish(feed: string, article: ArticleInput, pubDate?: string): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Failures in a row after which a feed is paused (default: never in practice). */
  readonly pauseAfter?: number;
  /** A console channel `admin` as the admin channel. */
  readonly admin?: boolean;
  /** Another store than a fresh SQLite file (a server, through a proxy), in a namespace of its own. */
  readonly storage?: { readonly url: string; readonly namespace: string };
  /** The apps' logger (default silent). */
  readonly logger?: Logger;
}

export async function startHarness(
  feedNames: readonly string[],
  channels: readonly ChannelLine[],
  options: HarnessOptions = {},
): Promise<Harness> {
  const server = await startFeedServer();
  const dir = join(tmpdir(), `newsdigest-e2e-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const storage = options.storage
    ? await openStorage(options.storage.url, { namespace: options.storage.namespace })
    : await openStorage(`sqlite://${join(dir, 'store.sqlite')}`, {});
  const logger = options.logger ?? silent;
  const publisher = new RecordingPublisher();
  const feeds = new Map(feedNames.map((name) => [name, [] as FeedEntry[]]));
  const failing = new Set<string>();
  for (const name of feedNames) {
    server.handle(`/${name}`, (req, res) =>
      failing.has(name)
        ? status(500)(req, res)
        : body(rss(feeds.get(name) ?? []), { contentType: 'application/rss+xml' })(req, res),
    );
  }
  const yaml = [
    'feeds:',
    ...feedNames.map((f) => `  - { url: "${server.url(`/${f}`)}", name: ${f}, pollMinutes: 15 }`),
    'network:',
    `  allowPrivateHosts: ["${server.hostPort}"]`,
    'polling:',
    `  maxFailuresBeforePause: ${options.pauseAfter ?? 1000}`,
    ...(options.admin ? ['adminChannel: admin'] : []),
    'channels:',
    ...(options.admin ? ['  - { id: admin, platform: console, schedule: "0 0 1 1 *" }'] : []),
    ...channels.map(
      (c) =>
        `  - { id: ${c.id}, platform: console, topics: ${JSON.stringify(c.topics ?? [])}, schedule: "${c.schedule ?? '0 8 * * *'}", maxStories: ${c.maxStories ?? 50}, whenEmpty: ${c.whenEmpty ?? 'skip'}${c.extra ? `, ${c.extra}` : ''} }`,
    ),
  ].join('\n');
  const config = parseConfig(yaml, 'e2e.yaml', {}, { packageRoot: process.cwd() });
  const guard = new AddressGuard({ allow: config.network.allowPrivateHosts });
  const topics = compileTopics(config.topicDefinitions);
  const build = (wrap?: (stories: StoryStore) => StoryStore): App => {
    const stories = wrap ? wrap(storage.stories) : storage.stories;
    const stores = { ...storage, stories };
    return {
      plan: runPlanOf(config),
      storage: stores,
      stories: new StoryIngest({
        articles: storage.articles,
        stories,
        search: storage.search,
        engine: { topics },
        clock: { now: () => h.now },
        logger,
        windowDays: 21,
      }),
      publishers: new Map(
        [...channels.map((c) => c.id), ...(options.admin ? ['admin'] : [])].map((id) => [id, publisher]),
      ),
      ingest: {
        source: feedSource({
          fetch: httpFeedFetcher({ guard, userAgent: 'test' }),
          clock: { now: () => h.now },
          policy: { pauseAfterFailures: config.polling.maxFailuresBeforePause },
        }),
        concurrency: 2,
        snippetWords: 0,
        seenRefreshDays: 10,
      },
      clock: { now: () => h.now },
      timetable: h.timetable,
      logger,
    };
  };
  const h: Harness = {
    server,
    storage,
    publisher,
    feeds,
    failing,
    now: new Date('2025-03-01T06:00:00Z'),
    app: undefined as unknown as App,
    timetable: new FakeTimetable(),
    restart(wrap) {
      h.app = build(wrap);
      return h.app;
    },
    publish(feed, article, pubDate) {
      feeds.get(feed)?.push({ article, pubDate: pubDate ?? h.now.toUTCString() });
    },
    async close() {
      await storage.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  h.app = build();
  return h;
}

/** What tells one made-up event from another: its own place, people, organisation and vocabulary. */
interface EventWords {
  readonly place: string;
  readonly person: string;
  readonly org: string;
  /** Nouns of the event, most telling first. */
  readonly n: readonly [string, string, string, string, string, string];
  /** Verbs (base form) of what happened. */
  readonly v: readonly [string, string, string];
  readonly amount: string;
}

const EVENTS: readonly EventWords[] = [
  {
    place: 'Marlow Creek',
    person: 'Mara Quintero',
    org: 'the town council',
    n: ['flood barrier', 'riverbank', 'levy', 'engineers', 'sandbags', 'floodplain'],
    v: ['fund', 'raise', 'reinforce'],
    amount: '40 million',
  },
  {
    place: 'Eastvale',
    person: 'Tobias Renn',
    org: 'the nurses union',
    n: ['strike', 'wards', 'wages', 'shifts', 'picket lines', 'overtime'],
    v: ['walk out', 'bargain', 'staff'],
    amount: '6 percent',
  },
  {
    place: 'Port Annick',
    person: 'Ilse Okafor',
    org: 'Annick Mutual Bank',
    n: ['merger', 'shareholders', 'regulator', 'branches', 'dividend', 'takeover bid'],
    v: ['acquire', 'approve', 'close'],
    amount: '2.3 billion',
  },
  {
    place: 'Huxley Bay',
    person: 'Dev Halloran',
    org: 'the fire service',
    n: ['wildfire', 'evacuation', 'hectares', 'firefighters', 'gusts', 'smoke'],
    v: ['evacuate', 'burn', 'contain'],
    amount: '3,000 hectares',
  },
  {
    place: 'Granton',
    person: 'Juno Sakai',
    org: 'Granton Rovers',
    n: ['cup final', 'penalty', 'goalkeeper', 'stadium', 'trophy', 'extra time'],
    v: ['score', 'save', 'celebrate'],
    amount: '48,000 fans',
  },
  {
    place: 'Silverdell',
    person: 'Petra Lind',
    org: 'the district court',
    n: ['fraud trial', 'jury', 'verdict', 'pension fund', 'defendant', 'sentence'],
    v: ['convict', 'embezzle', 'appeal'],
    amount: '12 million',
  },
  {
    place: 'Oakridge Falls',
    person: 'Omar Vey',
    org: 'the city museum',
    n: ['theft', 'paintings', 'alarm', 'detectives', 'ladder', 'insurers'],
    v: ['steal', 'recover', 'investigate'],
    amount: 'five paintings',
  },
  {
    place: 'Lindhaven',
    person: 'Greta Moss',
    org: 'the Green Alliance',
    n: ['by-election', 'ballots', 'turnout', 'coalition', 'recount', 'constituency'],
    v: ['win', 'count', 'concede'],
    amount: '812 votes',
  },
  {
    place: 'Brackwater',
    person: 'Ivo Stanek',
    org: 'the port authority',
    n: ['container ship', 'cranes', 'dockers', 'cargo', 'berth', 'customs'],
    v: ['unload', 'dredge', 'inspect'],
    amount: '9,000 containers',
  },
  {
    place: 'Fennick',
    person: 'Alma Brody',
    org: 'the water board',
    n: ['drought', 'reservoir', 'hosepipe ban', 'rainfall', 'farmers', 'boreholes'],
    v: ['ration', 'refill', 'pump'],
    amount: '30 percent',
  },
  {
    place: 'Kestrel Heights',
    person: 'Rafe Olsson',
    org: 'the school trust',
    n: ['exam results', 'pupils', 'teachers', 'grades', 'inspection', 'curriculum'],
    v: ['publish', 'improve', 'appeal'],
    amount: '1,200 pupils',
  },
  {
    place: 'Dunmere',
    person: 'Sana Iqbal',
    org: 'the rail operator',
    n: ['derailment', 'carriages', 'signals', 'passengers', 'track', 'investigators'],
    v: ['derail', 'repair', 'reopen'],
    amount: 'six carriages',
  },
];

/**
 * A made-up local news event nobody else covers, told by `outlet` in one of five wordings of its own vocabulary.
 * The same `event` in any wording is one story; different events share no content words, so they never merge.
 */
export type Wording = 0 | 1 | 2 | 3 | 4;

export function localEvent(event: number, outlet: string, wording: Wording = 0): ArticleInput {
  const e = EVENTS[event % EVENTS.length] ?? (EVENTS[0] as EventWords);
  const [n0, n1, n2, n3, n4, n5] = e.n;
  const [v0, v1, v2] = e.v;
  const texts: readonly (readonly string[])[] = [
    [
      `${e.person} of ${e.org} said on Tuesday that ${e.place} would ${v0} the ${n0} at a cost of ${e.amount}.`,
      `The ${n1} and the ${n2} were at the centre of the dispute in ${e.place}, ${e.person} told reporters.`,
      `Local ${n3} warned that the ${n4} could ${v1} again before the ${n5} was dealt with.`,
      `${e.org} will ${v2} its plans for the ${n0} in ${e.place} next month, ${e.person} added.`,
    ],
    [
      `In ${e.place}, ${e.org} moved on Tuesday to ${v0} the ${n0}, a step worth ${e.amount} according to ${e.person}.`,
      `${e.person} said the ${n2} and the ${n1} had divided ${e.place} for months.`,
      `${n3} in ${e.place} fear the ${n4} will ${v1} once more unless the ${n5} is settled.`,
      `Next month ${e.org} is expected to ${v2} the ${n0} plans, ${e.person} said.`,
    ],
    [
      `The ${n0} in ${e.place} is back in the news: ${e.org} confirmed the ${e.amount} decision and ${e.person} defended it.`,
      `${e.person} said the ${n1} would not ${v1} the ${n2} this time.`,
      `Groups of ${n3} in ${e.place} said the ${n4} and the ${n5} still worried them.`,
      `${e.org} will ${v0} and ${v2} the ${n0} plans in stages, ${e.person} said in ${e.place}.`,
    ],
    [
      `A week after the ${e.amount} decision, ${e.person} visited the ${n0} site in ${e.place} with officials of ${e.org}.`,
      `The ${n3} there asked ${e.person} when the ${n4} would stop and whether the ${n5} had been considered.`,
      `${e.org} said the ${n1} had been reviewed and that the ${n2} was no longer in question.`,
      `${e.person} promised the people of ${e.place} a report on the ${n0} within weeks.`,
    ],
    [
      `Residents of ${e.place} questioned ${e.person} and ${e.org} about the plan to ${v0} the ${n0} for ${e.amount}.`,
      `${e.person} said the ${n1} and the ${n2} had been weighed before Tuesday's decision on the ${n0}.`,
      `${n3} in ${e.place} said the ${n4} and the ${n5} still had to be settled before ${e.org} could ${v2} anything.`,
      `${e.person} said ${e.org} would not ${v1} the ${n0} plans in ${e.place} without consulting residents first.`,
    ],
  ];
  return {
    id: `${outlet}-e${event}-w${wording}`,
    title: [
      `${e.place}: ${e.org} to ${v0} the ${n0}`,
      `${e.person} backs ${e.amount} move on ${e.place} ${n0}`,
      `${e.place} ${n0}: ${e.person} defends the decision`,
      `${e.person} visits the ${e.place} ${n0} site`,
      `${e.place} residents question ${e.org} over the ${n0}`,
    ][wording],
    text: (texts[wording] ?? []).join('\n'),
    source: outlet,
  };
}
