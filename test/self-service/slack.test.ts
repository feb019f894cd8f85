// `/digest subscribe|unsubscribe|feeds|mute|unmute|topics` from Slack: the real Bolt app wired by the composition
// root, signed slash commands to its HTTP receiver, users.info and usergroups.users.list from the fake Slack.
// Allowed for admins, owners, configured users and user groups; politely refused for everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/compose.js';
import { runOnce } from '../../src/pipeline/app.js';
import { FAKE_TOKEN, type FakeSlack, sendSlashCommand, startFakeSlack, waitFor } from '../fakes/fake-slack.js';
import type { FeedServer } from '../fakes/feed-server.js';
import { freePort, startFeeds, type Workplace, workplace } from './support.js';

const SECRET = 'self-service-signing-secret';
const DESK = 'C0DIGEST';

let slack: FakeSlack;
let feeds: FeedServer;
let place: Workplace;
let app: RunningApp;
let port: number;

beforeAll(async () => {
  slack = await startFakeSlack({
    channels: [DESK, 'C0ELSEWHERE'],
    users: { U0ADMIN: { is_admin: true }, U0OWNER: { is_owner: true }, U0READER: {}, U0EDITOR: {} },
    userGroups: { S0EDITORS: ['U0EDITOR'] },
  });
  feeds = await startFeeds();
  port = await freePort();
  place = await workplace(
    feeds,
    [
      `slack: { apiUrl: "${slack.apiUrl}", port: ${port}, host: 127.0.0.1, editors: { users: [U0NAMED], userGroups: [S0EDITORS] } }`,
      'channels:',
      `  - { id: desk, platform: slack, channel: ${DESK}, schedule: "0 8 * * *", topics: [], keywords: [bridge, -football], mutedSources: [Tabloid] }`,
    ],
    { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SECRET },
  );
  app = await place.open();
  await app.listen();
});

afterAll(async () => {
  await app?.close();
  await slack.close();
  await feeds.close();
  await place.close();
});

let n = 0;
/** Sends `/digest <text>` as `user` and waits for its ephemeral answer's text. */
async function ask(text: string, user: string, channel = DESK): Promise<string> {
  const id = `r${++n}`;
  const sent = await sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, {
    team_id: 'T0FAKE',
    channel_id: channel,
    user_id: user,
    user_name: user.toLowerCase(),
    text,
    api_app_id: 'A0APP',
    response_url: slack.responseUrl(id),
    trigger_id: `t-${id}`,
  });
  expect(sent.status).toBe(200);
  const [response] = await waitFor(() => {
    const found = slack.responses.filter((r) => r.id === id);
    return found.length > 0 ? found : undefined;
  }, 20_000);
  expect(response?.body.response_type).toBe('ephemeral');
  return String(response?.body.text);
}

const subscriptions = async () => (await app.storage.channelSettings.get('desk'))?.subscriptions ?? [];

describe('Slack self-service', () => {
  it('refuses a member who is no admin, owner or editor, saying who can', async () => {
    const answer = await ask(`subscribe ${feeds.url('/extra')}`, 'U0READER');
    expect(answer).toContain('Sorry, only Slack workspace admins and owners');
    expect(answer).toContain('S0EDITORS');
    expect(answer).toContain('U0NAMED');
    expect(await ask('mute source:Wire', 'U0READER')).toContain('Sorry, only');
    expect(await ask('unsubscribe Wire', 'U0READER')).toContain('Sorry, only');
    expect(await subscriptions()).toEqual([]);
    expect(await app.storage.channelSettings.get('desk')).toBeUndefined();
  });

  it('lets an admin subscribe a feed once it fetched and parsed, and polls it (first poll: backfill)', async () => {
    const answer = await ask(`subscribe ${feeds.url('/extra')}`, 'U0ADMIN');
    expect(answer).toContain(`Subscribed this channel to ${feeds.hostPort}`);
    expect(answer).toContain('background');
    expect((await subscriptions()).map((s) => [s.url, s.addedBy])).toEqual([[feeds.url('/extra'), 'U0ADMIN']]);
    expect(await ask(`subscribe ${feeds.url('/extra')}`, 'U0OWNER')).toContain('already subscribed');
    const report = await runOnce(app);
    const extra = report.feeds.find((f) => f.url === feeds.url('/extra'));
    expect(extra).toMatchObject({ outcome: 'stored', backfill: true, newArticles: 3 });
  });

  it('refuses a URL that is no feed, a hostile address, and a malformed command, with a clear message', async () => {
    expect(await ask(`subscribe ${feeds.url('/page')}`, 'U0ADMIN')).toMatch(/^Could not subscribe to .*\/page: /);
    const metadata = await ask('subscribe http://169.254.169.254/latest/meta-data', 'U0ADMIN');
    expect(metadata).toMatch(/^Could not subscribe to http:\/\/169\.254\.169\.254/);
    expect(await ask('subscribe ftp://example.com/feed', 'U0ADMIN')).toContain(
      'usage: /digest subscribe https://example.com/feed.xml',
    );
    expect(await ask('subscribe', 'U0ADMIN')).toContain('usage: /digest subscribe');
    expect(await ask('mute reuters', 'U0ADMIN')).toContain('usage: /digest mute source:NAME');
    expect(await ask('feeds please', 'U0ADMIN')).toContain('usage: /digest feeds');
    expect(await subscriptions()).toHaveLength(1);
  });

  it('lets a member of the editors group mute and unmute an outlet; the config mute stays', async () => {
    expect(await ask('mute source:"Daily Planet"', 'U0EDITOR')).toContain('Muted Daily Planet');
    expect(await ask('mute source:daily planet', 'U0EDITOR')).toContain('already muted');
    const topics = await ask('topics', 'U0READER');
    expect(topics).toContain('Keywords (a story must mention one): bridge');
    expect(topics).toContain('Exclusions (a story mentioning one is left out): football');
    expect(topics).toContain('Muted outlets: Tabloid (config), Daily Planet');
    expect(await ask('unmute source:Tabloid', 'U0EDITOR')).toContain('muted by the config file');
    expect(await ask('unmute source:Daily Planet', 'U0EDITOR')).toContain('Unmuted Daily Planet');
  });

  it('lists the channel feeds with their health for anyone, and unsubscribes only what chat added', async () => {
    const list = await ask('feeds', 'U0READER');
    expect(list).toContain('From the config file (the global feed list): 1 feed');
    expect(list).toMatch(/• Wire: ok, 3 items listed/);
    expect(list).toContain(`• ${feeds.hostPort} (${feeds.url('/extra')}), by U0ADMIN`);
    expect(await ask('unsubscribe Wire', 'U0ADMIN')).toContain('comes from the config file');
    expect(await ask(`unsubscribe ${feeds.url('/extra')}`, 'U0NAMED')).toContain('Unsubscribed this channel');
    expect(await subscriptions()).toEqual([]);
  });

  it('answers in a channel the config does not name that it has no feeds', async () => {
    expect(await ask('feeds', 'U0ADMIN', 'C0ELSEWHERE')).toContain('not in the config file');
  });
});
