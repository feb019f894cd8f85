// `newsdigest check-config --connect` for Slack: one auth.test with the configured token and API URL, no retries,
// answered as a line a person can act on.
import { webApi } from '@slack/bolt';
import { toDeliveryError } from './errors.js';

export interface SlackProbeOptions {
  readonly botToken: string;
  readonly apiUrl: string;
  readonly timeoutMs?: number;
}

export async function probeSlack(options: SlackProbeOptions): Promise<{ ok: boolean; detail: string }> {
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  try {
    const me = await client.auth.test();
    return {
      ok: true,
      detail: `workspace ${String(me.team ?? me.team_id ?? '?')} as ${String(me.user ?? me.user_id ?? '?')}`,
    };
  } catch (error) {
    const failure = toDeliveryError(error, 'auth.test');
    return { ok: false, detail: `${failure.code}: ${failure.hint}` };
  }
}
