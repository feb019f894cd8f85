import { describe, expect, it } from 'vitest';
import { createSlackApp, SlackConfigError } from '../../src/slack/app.js';
import { ChannelPacer } from '../../src/slack/pacer.js';
import { recordingLogger } from '../storage/helpers.js';

const base = {
  botToken: 'xoxb-test',
  apiUrl: 'http://127.0.0.1:9/api/',
  port: 0,
  answer: async () => ({ kind: 'ephemeral' as const, messages: [] }),
  logger: recordingLogger(),
};

describe('createSlackApp', () => {
  it('asks for a signing secret or an app token', () => {
    expect(() => createSlackApp(base)).toThrow(SlackConfigError);
    expect(() => createSlackApp(base)).toThrow(/SLACK_SIGNING_SECRET .* SLACK_APP_TOKEN/);
  });

  it('builds a Socket Mode app when an app token is given, without connecting or calling Slack', () => {
    const slack = createSlackApp({ ...base, appToken: 'xapp-test' });
    expect(slack.port()).toBeNull();
    expect(slack.client.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });
});

describe('ChannelPacer', () => {
  it('runs one channel at a time, each post starting an interval after the previous one ended', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = new ChannelPacer({
      intervalMs: 1_000,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const runs: { channel: string; start: number; end: number }[] = [];
    const post = (channel: string, takes: number) =>
      pacer.run(channel, async () => {
        const start = now;
        now += takes;
        runs.push({ channel, start, end: now });
      });
    await Promise.all([post('A', 200), post('A', 50), post('B', 10), post('A', 0)]);
    const a = runs.filter((r) => r.channel === 'A');
    expect(a).toHaveLength(3);
    for (let i = 1; i < a.length; i++) expect((a[i]?.start ?? 0) - (a[i - 1]?.end ?? 0)).toBeGreaterThanOrEqual(1_000);
    // another channel does not wait behind A
    expect(runs.find((r) => r.channel === 'B')?.start).toBeLessThan(1_000);
    expect(slept.every((ms) => ms > 0)).toBe(true);
  });

  it('goes on after a failed post', async () => {
    const pacer = new ChannelPacer({ intervalMs: 0 });
    await expect(pacer.run('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pacer.run('A', async () => 'ok')).resolves.toBe('ok');
  });
});
