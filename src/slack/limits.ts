// Slack's message limits, written down once. The renderer builds blocks within them and checks every message
// against this schema before it leaves the process, so a rendering bug fails here (and in tests) instead of as
// an `invalid_blocks` or `msg_too_long` from Slack in someone's channel.
// https://docs.slack.dev/reference/block-kit/blocks and https://docs.slack.dev/reference/methods/chat.postMessage
import { z } from 'zod';

export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocksPerMessage: 50,
  /** `text` of a section block. */
  sectionText: 3_000,
  /** `text` of a header block (plain text only). */
  headerText: 150,
  /** One text element of a context block. */
  contextElementText: 3_000,
  /** Elements in one context block. */
  contextElements: 10,
  /** A message's top-level `text` (the fallback shown in notifications). Longer text is truncated by Slack. */
  fallbackText: 40_000,
} as const;

const mrkdwn = (max: number) => z.strictObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max) });

export const sectionBlockSchema = z.strictObject({
  type: z.literal('section'),
  text: mrkdwn(SLACK_LIMITS.sectionText),
});
export const headerBlockSchema = z.strictObject({
  type: z.literal('header'),
  text: z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(SLACK_LIMITS.headerText),
  }),
});
export const contextBlockSchema = z.strictObject({
  type: z.literal('context'),
  elements: z.array(mrkdwn(SLACK_LIMITS.contextElementText)).min(1).max(SLACK_LIMITS.contextElements),
});
export const dividerBlockSchema = z.strictObject({ type: z.literal('divider') });

/** The blocks newsdigest uses; anything else is a bug here, not something to send. */
export const slackBlockSchema = z.discriminatedUnion('type', [
  sectionBlockSchema,
  headerBlockSchema,
  contextBlockSchema,
  dividerBlockSchema,
]);

export const slackMessageSchema = z.strictObject({
  text: z.string().min(1).max(SLACK_LIMITS.fallbackText),
  blocks: z.array(slackBlockSchema).min(1).max(SLACK_LIMITS.blocksPerMessage).optional(),
});

export type SlackBlock = z.infer<typeof slackBlockSchema>;
export type SectionBlock = z.infer<typeof sectionBlockSchema>;
export type ContextBlock = z.infer<typeof contextBlockSchema>;
/** A message as rendered: the fallback `text` (always) and Block Kit `blocks`. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: SlackBlock[];
}

/** A rendered message broke one of Slack's limits: a renderer bug, reported with every problem and its path. */
export class SlackLimitError extends Error {
  override readonly name = 'SlackLimitError';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`a Slack message breaks Slack's limits: ${problems.join('; ')}`, options);
  }
}

/** The problems of a message against Slack's limits, each with where it is ("blocks.3.text.text: ..."). */
export function limitProblems(message: SlackMessage): string[] {
  const result = slackMessageSchema.safeParse(message);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
}

/** Returns the message when it is within Slack's limits; throws SlackLimitError otherwise. */
export function checkMessage<M extends SlackMessage>(message: M): M {
  const problems = limitProblems(message);
  if (problems.length > 0) throw new SlackLimitError(problems);
  return message;
}
