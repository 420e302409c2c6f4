import { backoff } from './backoff';

describe('backoff', () => {
  it('doubles its ceiling up to the cap, drawing each delay from the upper half, and starts again on reset', () => {
    const draws = [0, 1, 0.5, 0, 1];
    const sut = backoff({ first: 100, max: 400 }, () => draws.shift() ?? 0);
    expect([sut.next(), sut.next(), sut.next(), sut.next()]).toEqual([50, 200, 300, 200]);
    sut.reset();
    expect(sut.next()).toBe(100);
  });

  it('spreads clients that start together: with different draws their delays differ', () => {
    const a = backoff({ first: 1000, max: 8000 }, () => 0.1);
    const b = backoff({ first: 1000, max: 8000 }, () => 0.9);
    expect(a.next()).not.toBe(b.next());
  });
});
