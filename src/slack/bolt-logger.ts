// Bolt and its WebClient log through the app's Logger port, so their lines are JSON lines tagged like ours.
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../ports.js';

function line(parts: readonly unknown[]): string {
  return parts
    .map((p) => {
      if (p instanceof Error) return p.message;
      if (typeof p === 'string') return p;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

/** Level filtering stays with our logger (pino); Bolt's own level is kept only because its interface asks. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug(line(parts)),
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
