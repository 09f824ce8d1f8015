import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** What the local Step Functions keeps of each execution, in memory and on disk. */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Where the execution stands: the state it entered last and that state's input. */
  current: { state: string; input: unknown; enteredAt: string };
  /**
   * The deadline of the task-token wait in progress, kept across restarts; `token` once the task has
   * returned and the execution is parked on it.
   */
  wait?: { state: string; deadline: string; id: string; token?: string; timer?: boolean };
  transitions: number;
}

/** What memory keeps of an execution that is not running an interpreter (parked or ended); the rest is on disk. */
export type Slim = Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'transitions' | 'wait'> & { slim: true };

/** A token handed out: answered by resolving the live interpreter's task, or by waking the parked execution. */
export interface Waiting {
  executionArn: string;
  stateMachineArn: string;
  state: string;
  deadline: number | null;
  /** A Wait state's timer: when due it answers the wait (the execution goes on), not a timeout. */
  timer?: boolean;
  live?: { resolve: (output: unknown) => void; reject: (error: Error) => void };
}

/** How a run begins: from the start state, re-entering the current state after a restart, or waking a parked wait with its answer. */
export type RunMode = { kind: 'start' } | { kind: 'restart' } | { kind: 'wake'; state: string; outcome: { output: unknown } | { error: Error } };

export function slim(record: ExecutionRecord): Slim {
  const { executionArn, stateMachineArn, name, status, startDate, transitions, wait } = record;
  return { executionArn, stateMachineArn, name, status, startDate, transitions, ...(wait ? { wait } : {}), slim: true };
}

export class ExecutionJournal {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'stepfunctions');
    mkdirSync(this.dir, { recursive: true });
  }

  /** The names of the executions on disk. */
  names(): Set<string> {
    return new Set(readdirSync(this.dir).flatMap((f) => (/\.jsonl?$/.test(f) ? [f.replace(/\.jsonl?$/, '')] : [])));
  }

  /**
   * Each execution has a journal, `<name>.jsonl`: every change appends the whole record as one line
   * (an append costs a tenth of a write-and-rename, and runs on every state). When the execution
   * ends, the journal is compacted into `<name>.json`. A line torn by a crash is skipped on load,
   * and ended, so that the next append starts a line of its own.
   */
  persist(record: ExecutionRecord): void {
    const journal = path.join(this.dir, `${record.name}.jsonl`);
    if (record.status === 'RUNNING') {
      appendFileSync(journal, `${JSON.stringify(record)}\n`);
      return;
    }
    const file = path.join(this.dir, `${record.name}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file);
    if (existsSync(journal)) unlinkSync(journal);
  }

  load(name: string): ExecutionRecord | undefined {
    const journal = path.join(this.dir, `${name}.jsonl`);
    if (existsSync(journal)) {
      // The journal is at least as new as a compacted file (a crash between the two leaves both).
      const text = readFileSync(journal, 'utf8');
      // A torn last line is ended here, so that the next append starts a line of its own.
      if (text.length > 0 && !text.endsWith('\n')) appendFileSync(journal, '\n');
      const lines = text.split('\n');
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        try {
          if (lines[i]) return JSON.parse(lines[i]!) as ExecutionRecord;
        } catch {
          // torn by a crash mid-append: the line before is the last whole one
        }
      }
    }
    const file = path.join(this.dir, `${name}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExecutionRecord) : undefined;
  }
}
