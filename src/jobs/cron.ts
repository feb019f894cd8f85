// Cron schedules on node-cron: when a schedule fires next (in its time zone), and the Timetable port the run loop
// schedules its work with.
import cron, { createTask, type ScheduledTask } from 'node-cron';
import type { Timetable } from '../ports.js';

export function nextRunOf(schedule: string, timezone: string, name: string): Date | null {
  let task: ReturnType<typeof createTask> | undefined;
  try {
    // a task that is never started: it only answers when its schedule matches next
    task = createTask(schedule, () => undefined, { timezone, name });
    return task.getNextRuns(1)[0] ?? null;
  } catch {
    return null;
  } finally {
    void task?.destroy();
  }
}

/** The Timetable port on node-cron: each task on its cron schedule in its time zone; a run still going is not overlapped. */
export function cronTimetable(): Timetable {
  const tasks: ScheduledTask[] = [];
  return {
    every(name, schedule, timezone, task) {
      tasks.push(cron.schedule(schedule, task, { name, timezone, noOverlap: true }));
    },
    async stop() {
      for (const task of tasks.splice(0)) await task.stop();
    },
  };
}
