import {
  allocateCompetentAuthority,
  LOCAL_AUTHORITIES,
  NRM_CENTRAL_2015,
  organisationById,
  type CaseCommand,
  organisationId,
  organisationName,
  POLICE_FORCE_POPULATION_THOUSANDS,
  type PoliceForceArea,
} from '@harbour/domain';
import { PanelCalendar, planSyntheticCase, type PlannedStep, type SyntheticWorld } from './synthetic-case.plan';
import { SYNTHETIC_REFERRALS_CONFIG } from './synthetic-referrals.config';

describe('the synthetic generator’s organisations', () => {
  const world: SyntheticWorld = {
    seed: 'organisations',
    from: Date.parse('2025-07-01T00:00:00Z'),
    to: Date.parse('2026-06-30T00:00:00Z'),
    config: SYNTHETIC_REFERRALS_CONFIG,
  };
  const calendar = new PanelCalendar(world);
  const referrals = Array.from({ length: 4000 }, (_, i) => planSyntheticCase(world, calendar, i)).map((steps) => ({
    data: (steps[0].command as unknown as { data: Record<string, string> }).data,
    steps,
  }));

  it('weights police force areas by population within a region: the Metropolitan Police far above the City of London', () => {
    const london = referrals.filter(({ data }) => data.region === 'london');
    const city = london.filter(({ data }) => data.policeForceArea === 'city-of-london').length;
    expect(london.length).toBeGreaterThan(500);
    // 9 thousand residents against 8.79 million: about 1 in 1,000.
    expect(city / london.length).toBeLessThan(0.01);
    // In the north-west, Greater Manchester's share is near its population's (2,870 of 7,410).
    const northWest = referrals.filter(({ data }) => data.region === 'north-west');
    const manchester = northWest.filter(({ data }) => data.policeForceArea === 'greater-manchester').length;
    const weights = ['cumbria', 'lancashire', 'merseyside', 'greater-manchester', 'cheshire'].map(
      (force) => POLICE_FORCE_POPULATION_THOUSANDS[force as PoliceForceArea],
    );
    const expected = POLICE_FORCE_POPULATION_THOUSANDS['greater-manchester'] / weights.reduce((a, b) => a + b, 0);
    expect(Math.abs(manchester / northWest.length - expected)).toBeLessThan(0.06);
  });

  it('refers from real local authorities of the force area, and names every organisation as it names itself', () => {
    const councils = referrals.filter(({ data }) => data.firstResponderType === 'local-authority');
    expect(councils.length).toBeGreaterThan(400);
    for (const { data } of councils) {
      const known = LOCAL_AUTHORITIES[data.policeForceArea as PoliceForceArea].map(organisationId);
      expect([data.referringAgency, known.includes(data.referringAgency)]).toEqual([data.referringAgency, true]);
    }
    const agencies = new Set(
      referrals.flatMap(({ data, steps }) => [data.referringAgency, ...steps.map((step) => step.actor.agency)]),
    );
    for (const agency of agencies) {
      expect([agency, organisationName(agency) !== undefined]).toEqual([agency, true]);
    }
    // Every organisation a command names: panel members, the support provider, who was asked.
    const named = referrals.flatMap(({ steps }) =>
      steps.flatMap(({ command }) => {
        const data = (command as unknown as { data: Record<string, unknown> }).data;
        const members = Array.isArray(data.members) ? (data.members as { agency: string }[]) : [];
        return [
          ...members.map((member) => member.agency),
          ...(['provider', 'requestedFrom'] as const).flatMap((field) =>
            typeof data[field] === 'string' ? [data[field] as string] : [],
          ),
        ];
      }),
    );
    expect(named.length).toBeGreaterThan(1000);
    for (const agency of new Set(named))
      expect([agency, organisationName(agency) !== undefined]).toEqual([agency, true]);
    expect(organisationName('glaa')).toBe('GLAA');
    expect(organisationName('uk-visas-and-immigration')).toBe('UK Visas and Immigration');
    expect(organisationName('bristol-city-council')).toBe('Bristol City Council');
  });
});

describe('the synthetic generator follows the 2015 support and allocation rules', () => {
  const world: SyntheticWorld = {
    seed: 'support-and-allocation',
    from: Date.parse('2015-11-01T00:00:00Z'),
    to: Date.parse('2016-10-31T00:00:00Z'),
    config: SYNTHETIC_REFERRALS_CONFIG,
  };
  const calendar = new PanelCalendar(world);
  const plans = Array.from({ length: 3000 }, (_, i) => planSyntheticCase(world, calendar, i));
  const raiseOf = (steps: PlannedStep[]) => steps[0]!.command as Extract<CaseCommand, { type: 'RaiseReferral' }>;

  it("supports children through the local authority's children's services and adults under the Salvation Army contract", () => {
    const providers = { child: new Set<string>(), adult: new Set<string>() };
    for (const steps of plans) {
      const support = steps.find((step) => step.command.type === 'ArrangeImmediateSupport');
      if (!support || support.command.type !== 'ArrangeImmediateSupport') continue;
      const group = raiseOf(steps).data.ageGroup === 'adult' ? 'adult' : 'child';
      providers[group].add(support.command.data.provider);
    }
    expect([...providers.adult]).toEqual(['salvation-army']);
    expect(providers.child.size).toBeGreaterThan(10);
    for (const provider of providers.child) expect(organisationById(provider)?.type).toBe('local-authority');
  });

  it('has the allocated competent authority (by nationality) make every central decision', () => {
    let central = 0;
    for (const steps of plans) {
      const { data } = raiseOf(steps);
      const allocation = NRM_CENTRAL_2015.rules.competentAuthorityAllocation!;
      const expected = allocateCompetentAuthority(allocation, [data.subject.nationality]).competentAuthority;
      const byCa = steps.filter((step) => step.actor.role === 'competent-authority');
      if (byCa.length === 0) continue;
      central += 1;
      for (const step of byCa) expect(step.actor.agency).toBe(expected);
    }
    expect(central).toBeGreaterThan(1000);
  });
});
