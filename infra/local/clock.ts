/**
 * The local workflow clock. The stack keeps one offset (milliseconds ahead of real time) in shared
 * memory; every function's sandbox reads the time through it (lambda-worker.mjs), so moving the
 * clock forward moves it for handlers too, as time passes for them on AWS. Handler code never knows.
 */
export class LocalClock {
  readonly buffer = new SharedArrayBuffer(8);
  private readonly view = new BigInt64Array(this.buffer);

  constructor(offsetMs = 0) {
    this.setOffset(offsetMs);
  }

  get offsetMs(): number {
    return Number(Atomics.load(this.view, 0));
  }

  setOffset(offsetMs: number): void {
    Atomics.store(this.view, 0, BigInt(Math.trunc(offsetMs)));
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}
