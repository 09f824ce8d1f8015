import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LocalSchedule } from './assembly.js';
import type { LocalClock } from './clock.js';
import type { LocalLambdaRuntime } from './lambda-runtime.js';

/**
 * EventBridge Scheduler for the local stack: the template's rate schedules, on the stack's clock.
 * When each schedule next runs is kept in the data directory, so a restart neither skips nor
 * repeats a run. Like Scheduler, a run missed while the stack was down (or skipped over by a clock
 * advance) is not made up: the next run does what the missed ones would have done.
 */
export class LocalScheduler {
  private readonly file: string;
  private readonly next: Record<string, number>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly schedules: LocalSchedule[],
    private readonly lambda: LocalLambdaRuntime,
    private readonly clock: LocalClock,
    dataDir: string,
  ) {
    this.file = path.join(dataDir, 'schedules.json');
    const kept = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, number>) : {};
    const now = clock.now().getTime();
    this.next = Object.fromEntries(schedules.map((s) => [s.logicalId, kept[s.logicalId] ?? now + s.everySeconds * 1000]));
    this.save();
  }

  start(): void {
    this.timer = setInterval(() => void this.runDue(), 1000);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    return this.running;
  }

  /** Runs every schedule that is due on the stack's clock, once, and resolves when their invocations have returned. */
  runDue(): Promise<void> {
    this.running = this.running.then(async () => {
      const now = this.clock.now().getTime();
      const due = this.schedules.filter((s) => this.next[s.logicalId]! <= now);
      if (!due.length) return;
      for (const s of due) this.next[s.logicalId] = now + s.everySeconds * 1000;
      this.save();
      await Promise.all(
        due.map((s) =>
          this.lambda.invoke(s.functionName, s.input).catch((error: unknown) => {
            console.error(JSON.stringify({ level: 'error', message: 'scheduled invocation failed', schedule: s.logicalId, error: String(error) }));
          }),
        ),
      );
    });
    return this.running;
  }

  private save(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.next));
    renameSync(temp, this.file);
  }
}
