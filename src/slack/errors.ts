// Slack's refusals as one typed error with the hint a person needs to fix them. The run loop logs it and goes on
// with the other channels; the /digest handler tells the user.
import { webApi } from '@slack/bolt';

const HINTS: Record<string, string> = {
  channel_not_found:
    "the channel id is wrong or the app cannot see the channel: use the channel's id (C0123ABCD, from the channel's details), not its name, and invite the app to private channels",
  not_in_channel: 'the app is not a member of the channel: invite it with /invite @newsdigest in that channel',
  is_archived: 'the channel is archived: unarchive it or point the config at another channel',
  invalid_auth:
    'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token (xoxb-...) from the app\'s "OAuth & Permissions" page',
  not_authed: 'no token was sent: set SLACK_BOT_TOKEN',
  token_revoked: 'the bot token was revoked: reinstall the app to the workspace and update SLACK_BOT_TOKEN',
  account_inactive: 'the bot token belongs to a deleted app or user: reinstall the app and update SLACK_BOT_TOKEN',
  missing_scope:
    'the app lacks a scope: add it under "OAuth & Permissions" (see config/slack-app-manifest.yaml) and reinstall',
  msg_too_long:
    'a message was longer than Slack allows: a newsdigest rendering bug, please report it with this log line',
  invalid_blocks: 'Slack refused the message layout: a newsdigest rendering bug, please report it with this log line',
  ratelimited: 'Slack kept rate-limiting the app: the digest will be retried at its next run',
  request_error: 'Slack could not be reached: check the network and slack.apiUrl in the config',
};

export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
  constructor(
    /** Slack's error code (`channel_not_found`), or `ratelimited`, `request_error`, `http_<status>`. */
    readonly code: string,
    /** The Slack channel id the call was for. */
    readonly channel: string,
    /** What to do about it. */
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(`Slack refused a message to ${channel}: ${code}: ${hint}`, options);
  }
}

/** Turns whatever the WebClient threw into a SlackDeliveryError (unknown errors keep their message as the hint). */
export function toDeliveryError(error: unknown, channel: string): SlackDeliveryError {
  if (error instanceof SlackDeliveryError) return error;
  const options = { cause: error };
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    let hint = HINTS[code] ?? `Slack answered "${code}"`;
    const needed = (error.data as { needed?: unknown }).needed;
    if (code === 'missing_scope' && typeof needed === 'string') hint = `${hint} (needed: ${needed})`;
    return new SlackDeliveryError(code, channel, hint, options);
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new SlackDeliveryError('ratelimited', channel, HINTS.ratelimited ?? '', options);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const hint = `Slack answered HTTP ${error.statusCode}: check slack.apiUrl in the config`;
    return new SlackDeliveryError(`http_${error.statusCode}`, channel, hint, options);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return new SlackDeliveryError('request_error', channel, HINTS.request_error ?? '', options);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SlackDeliveryError('unknown', channel, message, options);
}
