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

/** Bolt's parts as one line; an Error among them is passed whole (as `err`), so its stack and cause are kept. */
function log(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error', parts: readonly unknown[]): void {
  const err = parts.find((p) => p instanceof Error);
  if (err === undefined) logger[level](line(parts));
  else logger[level]({ err }, line(parts));
}

/** Level filtering stays with our logger (pino); Bolt's own level is kept only because its interface asks. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => log(logger, 'debug', parts),
    info: (...parts: unknown[]) => log(logger, 'info', parts),
    warn: (...parts: unknown[]) => log(logger, 'warn', parts),
    error: (...parts: unknown[]) => log(logger, 'error', parts),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
