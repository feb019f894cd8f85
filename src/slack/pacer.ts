// Slack allows about one message a second per channel. The pacer runs a channel's posts one at a time and starts
// each at least `intervalMs` after the previous one finished, so the scheduled digest and a /digest answer in the
// same channel never race each other into a 429.

export interface PacerOptions {
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class ChannelPacer {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastDone = new Map<string, number>();

  constructor(options: PacerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Runs `post` for `channel` after the channel's previous post and the pause that follows it. */
  run<T>(channel: string, post: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(async () => {
      const last = this.lastDone.get(channel);
      const wait = last === undefined ? 0 : last + this.intervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await post();
      } finally {
        this.lastDone.set(channel, this.now());
      }
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(channel, tail);
    // forget idle channels so a long-running bot does not keep one entry per channel ever used
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return result;
  }
}
