// `/digest ...` answered as Slack messages: parse with the shared parser, then help, errors, status and empty results
// as ephemeral text, and a search as a parent message with the stories in its thread (or all ephemeral when the query
// says `private`). No transport here: app.ts acks, then sends what this returns.
import { type DigestSearch, type EditorCommand, parseDigestQuery } from '../domain/digest-query.js';
import type { Clock, QueryAnswer, StoryPost } from '../ports.js';
import type { SlackMessage } from './limits.js';
import {
  helpMessage,
  packForResponses,
  plainMessage,
  queryErrorMessage,
  type RenderedDigest,
  renderQueryAnswer,
  statusMessage,
} from './render.js';

export type CommandReply =
  /** Only for the person who asked, through the command's response_url. */
  | { readonly kind: 'ephemeral'; readonly messages: SlackMessage[] }
  /** In the channel: the parent, then the stories in its thread. */
  | { readonly kind: 'thread'; readonly rendered: RenderedDigest };

export interface CommandDeps {
  readonly answerQuery: (query: DigestSearch) => Promise<QueryAnswer>;
  /** `/digest status` lines (describeStatus). */
  readonly status: () => Promise<string[]>;
  readonly timeZone: string;
  readonly clock: Clock;
  /** A link to a message of the asking channel (chat.getPermalink), or null: the answer links the channel's earlier
   * posts of its stories with it. */
  readonly permalink?: (ts: string) => Promise<string | null>;
  /** Answers `/digest subscribe|unsubscribe|mute|unmute|feeds|topics` from `user` (the asker's rights checked there). */
  readonly editor?: (command: EditorCommand, user: string) => Promise<string>;
}

export async function answerDigestCommand(text: string, user: string, deps: CommandDeps): Promise<CommandReply> {
  const query = parseDigestQuery(text, deps.clock.now());
  switch (query.kind) {
    case 'help':
      return { kind: 'ephemeral', messages: [helpMessage()] };
    case 'error':
      return { kind: 'ephemeral', messages: [queryErrorMessage(query.message)] };
    case 'status':
      return { kind: 'ephemeral', messages: [statusMessage(await deps.status())] };
    case 'subscribe':
    case 'unsubscribe':
    case 'mute':
    case 'unmute':
    case 'feeds':
    case 'topics': {
      const text = deps.editor ? await deps.editor(query, user) : 'Changing feeds from chat is not available here.';
      return { kind: 'ephemeral', messages: [plainMessage(text)] };
    }
    case 'search': {
      const answer = await deps.answerQuery(query);
      if (answer.kind === 'empty') return { kind: 'ephemeral', messages: [plainMessage(answer.message)] };
      const rendered = renderQueryAnswer(answer, {
        timeZone: deps.timeZone,
        user,
        permalinks: await permalinks(answer.posted, deps.permalink),
      });
      if (query.private) return { kind: 'ephemeral', messages: packForResponses(rendered) };
      return { kind: 'thread', rendered };
    }
  }
}

/** Links to the earlier posts of the answer's stories, by story id; a post Slack gives no link for is left out. */
async function permalinks(
  posted: ReadonlyMap<string, StoryPost> | undefined,
  permalink: CommandDeps['permalink'],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (!posted || !permalink) return links;
  const found = await Promise.all(
    [...posted].map(async ([storyId, post]) => [storyId, await permalink(post.messageId)] as const),
  );
  for (const [storyId, url] of found) if (url !== null) links.set(storyId, url);
  return links;
}
