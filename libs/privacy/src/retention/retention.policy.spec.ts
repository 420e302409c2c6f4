import { ConfigurationError } from '@harbour/shared';
import { parseRetentionPeriod, retentionEndsAt, retentionPolicyFrom } from './retention.policy';

describe('retention policy', () => {
  it('is six years for every outcome by default', () => {
    const sut = retentionPolicyFrom(undefined);
    expect(Object.values(sut).every((period) => period.text === 'P6Y')).toBe(true);
  });

  it('takes periods per outcome and a default for the rest', () => {
    const sut = retentionPolicyFrom('withdrawn=P2Y, default=P7Y,conclusive-grounds-negative=P18M');
    expect(sut.withdrawn.years).toBe(2);
    expect(sut['conclusive-grounds-negative']).toMatchObject({ years: 0, months: 18 });
    expect(sut['conclusive-grounds-positive'].text).toBe('P7Y');
  });

  it('refuses unknown outcomes, bad periods and repeats, naming the setting', () => {
    // 'withdrawn=P2Y default=P6Y' (a space for a comma) must not quietly keep the first period alone.
    const settings = ['withdrawn=P2Y default=P6Y', 'withdrawn=P6Y,withdrawn=P1Y', 'withdrawn', 'withdrawn=P'];
    for (const bad of ['closed=P6Y', 'withdrawn=6 years', ...settings]) {
      expect(() => retentionPolicyFrom(bad)).toThrow(ConfigurationError);
      expect(() => retentionPolicyFrom(bad)).toThrow(/^HARBOUR_RETENTION: /);
    }
  });

  it('adds calendar years, months and days, clamping to the end of a short month', () => {
    expect(retentionEndsAt('2015-10-21T09:00:00Z', parseRetentionPeriod('P6Y')).toISOString()).toBe(
      '2021-10-21T09:00:00.000Z',
    );
    expect(retentionEndsAt('2016-02-29T00:00:00Z', parseRetentionPeriod('P1Y')).toISOString()).toBe(
      '2017-02-28T00:00:00.000Z',
    );
    expect(retentionEndsAt('2015-08-31T00:00:00Z', parseRetentionPeriod('P1M10D')).toISOString()).toBe(
      '2015-10-10T00:00:00.000Z',
    );
  });
});
