// `npm run bench:ack`: how fast Slack slash commands are acknowledged while the bot is busy. A SQLite store is
// filled through the story engine, then the real Bolt app (against the fake Slack on 127.0.0.1) receives ten
// concurrent `/digest` searches per round while an ingest of new articles runs; the time each HTTP request takes
// to be acknowledged (Slack's limit: 3 s), the time to the full answer, and the same for Discord's deferral of ten
// interactions per round (the real discord.js client against the fake gateway and REST) are printed.
//   tsx scripts/bench-ack.ts [--stored 5000] [--rounds 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { loadTopicsFile } from '../src/config/topics-file.js';
import { builderOptionsFor } from '../src/digest-options.js';
import { createDiscordPlatform } from '../src/discord/platform.js';
import { compileTopics } from '../src/domain/topics.js';
import { StoryIngest } from '../src/pipeline/ingest.js';
import { answerSearch } from '../src/pipeline/search.js';
import type { Logger, StoredArticle } from '../src/ports.js';
import { createSlackPlatform } from '../src/slack/app.js';
import { openStorage } from '../src/storage/index.js';
import { FakeDiscord, TEXT } from '../test/fakes/fake-discord.js';
import { FAKE_TOKEN, sendSlashCommand, startFakeSlack } from '../test/fakes/fake-slack.js';
import { evalDir, loadSet, REPO_ROOT, SKIP_MESSAGE } from './lib/eval-data.js';
import { generateCorpus, sourceStories } from './lib/synth-corpus.js';
import { fix, printTable } from './lib/table.js';

const SECRET = 'bench-signing-secret';
const CHANNEL = 'C0BENCH';
const DISCORD_CHANNEL = '100000000000000001';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
}

const quantile = (xs: readonly number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

async function main(): Promise<void> {
  const dir = evalDir();
  if (dir === null) {
    console.log(SKIP_MESSAGE);
    return;
  }
  const storedCount = arg('--stored', 5_000);
  const rounds = arg('--rounds', 5);
  const perRound = 400;
  const corpus = generateCorpus(
    sourceStories([...loadSet(dir, 'basil'), ...loadSet(dir, 'ecbplus')]),
    storedCount + rounds * perRound,
    3,
  );
  const start = Date.parse('2024-03-01T00:00:00Z');
  let now = new Date(start);
  const articles: StoredArticle[] = corpus.inputs.map((input, i) => ({
    ...input,
    feed: input.source ?? 'feed',
    fetchedAt: new Date(start + i * 60_000).toISOString(),
    publishedAt: new Date(start + i * 60_000).toISOString(),
    backfill: false,
  }));
  const tmp = mkdtempSync(join(tmpdir(), 'newsdigest-bench-ack-'));
  const storage = await openStorage(`sqlite://${join(tmp, 'store.sqlite')}`, { namespace: 'bench' });
  const builder = builderOptionsFor(compileTopics(await loadTopicsFile(join(REPO_ROOT, 'config', 'topics.yaml'))));
  const ingest = new StoryIngest({
    articles: storage.articles,
    stories: storage.stories,
    search: storage.search,
    engine: builder,
    clock: { now: () => now },
    logger: silent,
    windowDays: 21,
  });
  const store = async (batch: readonly StoredArticle[]) => {
    for (let i = 0; i < batch.length; i += 20) {
      const part = batch.slice(i, i + 20);
      now = new Date(Date.parse(part.at(-1)?.fetchedAt ?? now.toISOString()) + 1);
      await storage.articles.putMany(part, now);
    }
    await ingest.processPending();
  };
  process.stderr.write(`bench:ack: storing ${storedCount} articles...\n`);
  await store(articles.slice(0, storedCount));

  const searchDeps = {
    stories: storage.stories,
    search: storage.search,
    ledger: storage.deliveries,
    topicOrder: builder.topics.topics.map((t) => t.name),
    retentionDays: 3650,
    now: () => now,
  };
  const fake = await startFakeSlack({ channels: [CHANNEL], minIntervalMs: 0 });
  const slack = createSlackPlatform(
    { botToken: FAKE_TOKEN, signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, host: '127.0.0.1' },
    {
      logger: silent,
      answerQuery: (q) => answerSearch(searchDeps, q),
      status: async () => [],
      timeZone: 'UTC',
      clock: { now: () => now },
      retryConfig: webApi.retryPolicies.rapidRetryPolicy,
    },
  );
  await slack.start();
  const discordFake = new FakeDiscord({
    token: 'bench-token',
    channels: [{ id: DISCORD_CHANNEL, type: TEXT, name: 'news' }],
  });
  await discordFake.start();
  const discord = createDiscordPlatform(
    { token: 'bench-token', apiUrl: discordFake.apiUrl, guildId: discordFake.guildId, topicNames: [] },
    {
      logger: silent,
      answerQuery: (q) => answerSearch(searchDeps, q),
      status: async () => [],
      clock: { now: () => now },
    },
  );
  await discord.start();
  const deferrals: number[] = [];
  const words = corpus.inputs.slice(0, 200).flatMap((a) =>
    (a.title ?? '')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 5),
  );
  const answerIds = new Set<string>();
  const answerCount = () => {
    for (const r of fake.responses) answerIds.add(`r:${r.id}`);
    for (const m of fake.messages) if (m.threadTs === null) answerIds.add(`m:${m.ts}`);
    return answerIds.size;
  };
  const acks: number[] = [];
  const answers: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  for (let round = 0; round < rounds; round++) {
    const batch = articles.slice(storedCount + round * perRound, storedCount + (round + 1) * perRound);
    const busy = store(batch);
    const asked = Array.from({ length: 10 }, async (_, k) => {
      const id = `r${round}q${k}`;
      const t = performance.now();
      const result = await sendSlashCommand(`http://127.0.0.1:${slack.port()}/slack/events`, SECRET, {
        token: 'legacy',
        team_id: 'T0BENCH',
        channel_id: CHANNEL,
        user_id: 'U0BENCH',
        text: `${words[(round * 10 + k) % words.length] ?? 'talks'} since:30d`,
        response_url: fake.responseUrl(id),
        trigger_id: id,
      });
      if (result.status !== 200) throw new Error(`slash command answered ${result.status}`);
      acks.push(result.ms);
      return t;
    });
    const interactions = Array.from({ length: 10 }, (_, k) =>
      discordFake.interact(DISCORD_CHANNEL, {
        query: words[(round * 10 + k + 5) % words.length] ?? 'talks',
        since: '30d',
      }),
    );
    const started = await Promise.all(asked);
    await busy;
    const waitUntil = performance.now() + 30_000;
    while (interactions.some((i) => !i.ack) && performance.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const i of interactions) deferrals.push(i.ack ? i.ack.at - i.dispatchedAt : Number.POSITIVE_INFINITY);
    // every answer reaches the fake Slack as a channel message or a response_url reply: wait for this round's ten
    const expected = 10 * (round + 1);
    const deadline = performance.now() + 60_000;
    while (answerCount() < expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    answers.push(performance.now() - Math.min(...started));
  }
  delay.disable();
  await slack.stop();
  await fake.close();
  await discord.stop();
  await discordFake.close();
  await storage.close();
  rmSync(tmp, { recursive: true, force: true });
  printTable(
    `bench:ack (/digest on Slack's HTTP receiver and Discord's gateway; ${rounds} rounds of 10 concurrent searches per platform, each during an ingest of ${perRound} articles; ${storedCount} stored before)`,
    [
      'what',
      'commands',
      'ack p50 ms',
      'ack p99 ms',
      'ack max ms',
      'round answered p50 ms',
      'round answered max ms',
      'loop p99 ms',
    ],
    [
      [
        'Slack ack',
        acks.length,
        fix(quantile(acks, 0.5), 0),
        fix(quantile(acks, 0.99), 0),
        fix(Math.max(...acks), 0),
        fix(quantile(answers, 0.5), 0),
        fix(Math.max(...answers), 0),
        fix(delay.percentile(99) / 1e6, 1),
      ],
      [
        'Discord deferral',
        deferrals.length,
        fix(quantile(deferrals, 0.5), 0),
        fix(quantile(deferrals, 0.99), 0),
        fix(Math.max(...deferrals), 0),
        '',
        '',
        '',
      ],
    ],
  );
}

void main();
