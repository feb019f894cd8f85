// When a cron schedule fires next, as node-cron computes it (in the schedule's time zone).
import { createTask } from 'node-cron';

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
