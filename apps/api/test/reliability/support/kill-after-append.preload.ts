/**
 * Test-only fault injection, loaded with `node -r` ahead of apps/api/src/main.ts by the API crash
 * test: the Nth append of a `ReferralRaised` kills the process with SIGKILL the moment the event
 * store has committed it, before the API can answer. That command is stored and its client never
 * hears so, every run, which load alone makes happen only by chance.
 *
 * It can never be on in production: nothing under src/ loads it or reads its setting, and the
 * production build (docker/build.mjs) leaves test folders out. N comes from
 * TEST_KILL_AFTER_APPENDS, which only this file reads.
 */
import { SqliteEventStore } from '@harbour/event-store';

const after = Number(process.env.TEST_KILL_AFTER_APPENDS);
if (!Number.isInteger(after) || after < 1) {
  throw new Error('kill-after-append.preload needs TEST_KILL_AFTER_APPENDS, a whole number from 1');
}

let referrals = 0;
const append = SqliteEventStore.prototype.appendToStream;
SqliteEventStore.prototype.appendToStream = async function (this: SqliteEventStore, stream, events, options) {
  const result = await append.call(this, stream, events, options);
  if (events.some((event) => event.type === 'ReferralRaised') && ++referrals === after) {
    process.kill(process.pid, 'SIGKILL');
  }
  return result;
};
