// Property tests of the Discord renderer over generated channel digests: it never throws, and every payload is
// within Discord's limits, read both by src/discord/limits.ts and by the fake Discord's own checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, messageSchema } from '../../src/discord/limits.js';
import { renderChannelDigest } from '../../src/discord/render.js';
import { checkMessage as fakeCheck, threadErrors } from '../fakes/fake-discord-limits.js';
import { channelDigestArbitrary, hostileText, storyPostsArbitrary } from '../fixtures/arbitrary-digest.js';

const RUNS = { numRuns: 250 };

describe('Discord renderer properties', () => {
  it('a channel digest renders within the limits, whatever its text', () => {
    fc.assert(
      fc.property(
        channelDigestArbitrary,
        fc.option(hostileText),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        storyPostsArbitrary,
        fc.option(fc.stringMatching(/^\d{1,20}$/)),
        (cd, heading, oneLine, more, posted, guildId) => {
          const rendered = renderChannelDigest(cd, {
            ...(heading === null ? {} : { heading }),
            ...(more === null ? {} : { moreStories: more }),
            oneLine,
            posted,
            guildId,
          });
          const payloads = [rendered.parent, ...rendered.stories.flatMap((s) => s.messages)];
          expect(rendered.parent.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.content);
          expect(threadErrors({ name: rendered.threadName, auto_archive_duration: 1440 })).toEqual([]);
          for (const payload of payloads) {
            expect(messageSchema.safeParse(payload).success).toBe(true);
            expect(fakeCheck(payload)).toBeNull();
          }
        },
      ),
      RUNS,
    );
  });
});
