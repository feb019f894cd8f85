// A /digest answer in Slack says what the search could not show and where the asking channel already got a story.
import { describe, expect, it } from 'vitest';
import type { StoryPost } from '../../src/ports.js';
import { limitProblems, type SlackMessage } from '../../src/slack/limits.js';
import { packForResponses, renderQueryAnswer } from '../../src/slack/render.js';
import { digest as fixture } from '../render/fixture-digest.js';

const allText = (m: SlackMessage): string => [m.text, ...(m.blocks ?? []).map((b) => JSON.stringify(b))].join('\n');

const post: StoryPost = {
  channel: 'desk',
  messageId: '1709280000.000002',
  threadId: '1709280000.000001',
  postedAt: '2024-03-03T08:00:00.000Z',
  newArticles: 2,
};
const answer = {
  digest: fixture,
  description: "about 'bridge' in the last 3 days",
  moreStories: 3,
  posted: new Map([['s-bridge', post]]),
};
const LINK = 'https://fake-workspace.slack.com/archives/C0DIGEST/p1709280000000002?thread_ts=1709280000.000001';

describe('a /digest answer', () => {
  const rendered = renderQueryAnswer(answer, {
    timeZone: 'Europe/Berlin',
    permalinks: new Map([['s-bridge', LINK]]),
  });
  const [rain, bridge] = rendered.stories.map((s) => s.messages.map(allText).join('\n'));

  it('says on the parent how many more stories matched and how to narrow the query', () => {
    expect(allText(rendered.parent)).toContain('3 more stories matched: narrow with since:, until:, topic: or source:');
  });

  it('says under a story where the channel already got it, in the channel zone, linked to its thread', () => {
    const context = rendered.stories[1]?.messages[0]?.blocks?.[1];
    expect(context).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `Posted here on 3 Mar 2024, 09:00 CET, 2 new articles since: <${LINK}|thread>` },
      ],
    });
    expect(rain).not.toContain('Posted here');
    expect(bridge).toContain('Harbour bridge closes for repairs');
  });

  it('says it without a link when Slack gave none, and "nothing new" when nothing came since', () => {
    const quiet = new Map([['s-bridge', { ...post, newArticles: 0 }]]);
    const text = renderQueryAnswer({ ...answer, posted: quiet }, { timeZone: 'UTC' })
      .stories.flatMap((s) => s.messages.map(allText))
      .join('\n');
    expect(text).toContain('Posted here on 3 Mar 2024, 08:00 UTC, nothing new since"');
  });

  it('keeps both in a private answer, within the limits', () => {
    const packed = packForResponses(rendered);
    const text = packed.map(allText).join('\n');
    expect(text).toContain('3 more stories matched');
    expect(text).toContain(`2 new articles since: <${LINK}|thread>`);
    for (const m of packed) expect(limitProblems(m)).toEqual([]);
  });

  it('says neither when the search showed everything and the channel had none of it', () => {
    const plain = renderQueryAnswer({ digest: fixture, description: 'about bridge' }, { timeZone: 'UTC' });
    const text = [plain.parent, ...plain.stories.flatMap((s) => s.messages)].map(allText).join('\n');
    expect(text).not.toMatch(/more stor|Posted here/);
  });
});
