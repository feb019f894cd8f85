// The Timetable port without a clock of its own: tests fire a task by name, as its cron schedule would.
import type { Timetable } from '../../src/ports.js';

export interface ScheduledEntry {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly task: () => void;
}

export class FakeTimetable implements Timetable {
  readonly entries: ScheduledEntry[] = [];
  stopped = false;

  every(name: string, cron: string, timezone: string, task: () => void): void {
    this.entries.push({ name, cron, timezone, task });
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** Fires the named task once (as its schedule would); nothing fires once stopped. */
  fire(name: string): void {
    if (this.stopped) return;
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no task named ${name}: ${this.entries.map((e) => e.name).join(', ')}`);
    entry.task();
  }
}
