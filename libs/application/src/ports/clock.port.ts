/** The only way Harbour reads the time: tests move a fake clock instead of waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: for tests and time-travel scenarios. */
export class FakeClock implements Clock {
  constructor(private current: Date = new Date('2015-08-03T09:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
