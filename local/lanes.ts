// Requests first, background work beside them: the local stack's one scheduling rule (local/runtime.ts).
//
// On AWS the API's Lambdas and the background ones (the lifecycle's steps, the outbox consumer, the scheduled jobs) meet
// only in DynamoDB, which scales with them. Locally they share one Node process and one DynamoDB Local on the machine's
// cores, so a burst of background work (a business morning's timers, a batch of signals) queues in front of the
// requests a person is waiting on. The lanes keep that queue short: while any request is being served, at most
// `busyWidth` background invocations run at once, the rest wait their turn in arrival order; with no request in
// flight, background work runs unbounded, as before. Background work is never refused or dropped, only started later,
// and always progresses (the width is at least 1); the deadline oracle of the simulator checks it is never late.
export interface LaneCounts {
  /** Requests being served now. */
  readonly interactive: number;
  /** Background invocations running now. */
  readonly background: number;
  /** Background invocations waiting for a turn. */
  readonly waiting: number;
  /** Background invocations that had to wait, since start. */
  readonly deferred: number;
}

export class Lanes {
  private interactive = 0;
  private background = 0;
  private deferred = 0;
  private readonly queue: (() => void)[] = [];

  /** `busyWidth`: background invocations allowed at once while a request is in flight (Infinity: no rule). */
  constructor(readonly busyWidth: number) {
    if (!(busyWidth >= 1)) throw new RangeError(`the background width must be at least 1, not ${busyWidth}`);
  }

  /** Runs a request: while it is in flight, background work keeps to the width. */
  async request<T>(serve: () => Promise<T>): Promise<T> {
    this.interactive += 1;
    try {
      return await serve();
    } finally {
      this.interactive -= 1;
      this.admit();
    }
  }

  /** Runs a background invocation when the lanes let it: at once if there is room, else after those waiting before it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.queue.length === 0 && this.room()) this.background += 1;
    else {
      this.deferred += 1;
      // admit() counts it in before waking it, so two admissions in one tick cannot overfill the lane.
      await new Promise<void>((turn) => this.queue.push(turn));
    }
    try {
      return await work();
    } finally {
      this.background -= 1;
      this.admit();
    }
  }

  counts(): LaneCounts {
    return { interactive: this.interactive, background: this.background, waiting: this.queue.length, deferred: this.deferred };
  }

  private room(): boolean {
    return this.interactive === 0 || this.background < this.busyWidth;
  }

  private admit(): void {
    while (this.queue.length > 0 && this.room()) {
      this.background += 1;
      this.queue.shift()!();
    }
  }
}
