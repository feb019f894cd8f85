// Property tests of the Slack renderer over generated digests: it never throws, and every message it returns is
// within Slack's limits, read both by src/slack/limits.ts and by the fake Slack's own independent checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerDigestCommand } from '../../src/slack/command.js';
import type { SlackMessage } from '../../src/slack/limits.js';
import { limitProblems } from '../../src/slack/limits.js';
import {
  packForResponses,
  plainMessage,
  renderChannelDigest,
  renderQueryAnswer,
  statusMessage,
} from '../../src/slack/render.js';
import { messageProblem } from '../fakes/fake-slack.js';
import {
  channelDigestArbitrary,
  digestArbitrary,
  hostileText,
  linkArbitrary,
  storyPostsArbitrary,
  timeZoneArbitrary,
} from '../fixtures/arbitrary-digest.js';

const RUNS = { numRuns: 200 };

function withinLimits(messages: readonly SlackMessage[]): void {
  for (const m of messages) {
    expect(limitProblems(m)).toEqual([]);
    expect(messageProblem({ text: m.text, blocks: m.blocks })).toBeNull();
  }
}

describe('Slack renderer properties', () => {
  it('a channel digest renders within the limits', () => {
    fc.assert(
      fc.property(channelDigestArbitrary, timeZoneArbitrary, fc.boolean(), (cd, timeZone, links) => {
        const permalinks = new Map(
          links ? cd.stories.map((d) => [d.story.id, `https://x.slack.com/archives/C1/p${d.story.id}`]) : [],
        );
        const rendered = renderChannelDigest(cd, { timeZone, permalinks });
        withinLimits([rendered.parent, ...rendered.stories.flatMap((s) => s.messages)]);
      }),
      RUNS,
    );
  });

  it('a /digest answer renders within the limits, in a thread or packed for response_url', () => {
    fc.assert(
      fc.property(
        digestArbitrary,
        hostileText,
        timeZoneArbitrary,
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        storyPostsArbitrary,
        linkArbitrary,
        (digest, description, timeZone, more, posted, url) => {
          const permalinks = new Map([...posted.keys()].map((id) => [id, url]));
          const answer = { digest, description, posted, ...(more === null ? {} : { moreStories: more }) };
          const rendered = renderQueryAnswer(answer, { timeZone, user: 'U0ASKER', permalinks });
          withinLimits([rendered.parent, ...rendered.stories.flatMap((s) => s.messages)]);
          const packed = packForResponses(rendered);
          expect(packed.length).toBeLessThanOrEqual(5);
          withinLimits(packed);
        },
      ),
      RUNS,
    );
  });

  it('any /digest text is answered within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, digestArbitrary, fc.boolean(), async (text, digest, empty) => {
        const reply = await answerDigestCommand(text, 'U0ASKER', {
          answerQuery: async (q) =>
            empty
              ? { kind: 'empty', message: `No articles about ${q.terms.join(' ')}` }
              : { kind: 'digest', digest, matched: 3, description: `about ${q.terms.join(' ')} ${q.source ?? ''}` },
          status: async () => [text, text],
          timeZone: 'UTC',
          clock: { now: () => new Date('2024-03-02T09:00:00Z') },
        });
        if (reply.kind === 'ephemeral') withinLimits(reply.messages);
        else withinLimits([reply.rendered.parent, ...reply.rendered.stories.flatMap((s) => s.messages)]);
      }),
      RUNS,
    );
  });

  it('plain and status messages stay within the limits', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 12 }), (lines) => {
        withinLimits([plainMessage(lines.join('\n')), statusMessage(lines)]);
      }),
      RUNS,
    );
  });
});
