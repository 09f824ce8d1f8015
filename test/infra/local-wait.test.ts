import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalClock } from '../../infra/local/clock.js';
import type { LocalLambdaRuntime } from '../../infra/local/lambda-runtime.js';
import { LocalStepFunctions } from '../../infra/local/stepfunctions/service.js';

/**
 * Wait states on the local stack run on its clock and survive a restart, as on AWS they last
 * however long they were told to: a webhook's next attempt hours away must neither come at once
 * nor be lost when the stack restarts.
 */
const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:waits';
const machine = {
  logicalId: 'Waits',
  name: 'waits',
  arn,
  definition: {
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Mark' },
      Mark: { Type: 'Pass', Parameters: { 'seconds.$': '$.seconds', 'after.$': '$.label' }, End: true },
    },
  },
};
const noLambdas = {} as LocalLambdaRuntime;
const dirs: string[] = [];
const services: LocalStepFunctions[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function service(clock: LocalClock, dir: string): LocalStepFunctions {
  const sfn = new LocalStepFunctions([machine], noLambdas, clock, dir);
  sfn.start();
  services.push(sfn);
  return sfn;
}

const status = (sfn: LocalStepFunctions, executionArn: string) => sfn.describeExecution({ executionArn });

describe('Wait states on the local clock', () => {
  it('waits until the clock has moved by its seconds, then goes on with its input', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-wait-'));
    dirs.push(dir);
    const clock = new LocalClock();
    const sfn = service(clock, dir);
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'five-hours', input: JSON.stringify({ seconds: 5 * 3600, label: 'x' }) });
    await sfn.idle(2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(status(sfn, executionArn).status).toBe('RUNNING');
    expect(sfn.stats().waiting).toBe(1);

    await sfn.advance(5 * 3600 - 60);
    expect(status(sfn, executionArn).status).toBe('RUNNING');
    await sfn.advance(61);
    const done = status(sfn, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ seconds: 18_000, after: 'x' });
  });

  it('keeps its time across a restart: neither early nor lost', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-wait-'));
    dirs.push(dir);
    const clock = new LocalClock();
    const first = service(clock, dir);
    const { executionArn } = first.startExecution({ stateMachineArn: arn, name: 'across-restart', input: JSON.stringify({ seconds: 7200, label: 'y' }) });
    await first.idle(2_000);
    await first.advance(3600);
    await first.stop();
    services.splice(services.indexOf(first), 1);

    const second = service(clock, dir);
    expect(status(second, executionArn).status).toBe('RUNNING');
    await second.advance(3500);
    expect(status(second, executionArn).status).toBe('RUNNING');
    await second.advance(200);
    expect(status(second, executionArn).status).toBe('SUCCEEDED');
  });

  it('fails the execution as AWS does when SecondsPath is not a non-negative integer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-wait-'));
    dirs.push(dir);
    const sfn = service(new LocalClock(), dir);
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'bad-seconds', input: JSON.stringify({ seconds: -3, label: 'z' }) });
    await sfn.idle(2_000);
    const failed = status(sfn, executionArn);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('States.Runtime');
  });
});
