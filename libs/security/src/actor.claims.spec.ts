import { actorFromClaims } from './actor.claims';

const lead = { sub: 'user-1', role: 'lead', agency: 'dorset-police', region: 'south-west' };

describe('actorFromClaims', () => {
  it('maps sub, role, agency and region to a frozen actor with no panels', () => {
    const sut = actorFromClaims({ ...lead, iss: 'harbour', exp: 1 });

    expect(sut).toEqual({
      ok: true,
      actor: { userId: 'user-1', role: 'lead', agency: 'dorset-police', region: 'south-west', panels: [] },
    });
    expect(sut.ok && Object.isFrozen(sut.actor)).toBe(true);
  });

  it.each(['dorset-police', 'Dorset Police', 'DORSET POLICE', ' dorset  police'.trim()])(
    'carries the registry id of the agency however the token spells it (%p)',
    (agency) => {
      expect(actorFromClaims({ ...lead, agency })).toMatchObject({ ok: true, actor: { agency: 'dorset-police' } });
    },
  );

  it('keeps the panels of a panel role, once each', () => {
    const sut = actorFromClaims({ ...lead, role: 'panel-member', panels: ['sw-1', 'sw-2', 'sw-1'] });

    expect(sut).toMatchObject({ ok: true, actor: { role: 'panel-member', panels: ['sw-1', 'sw-2'] } });
  });

  it('accepts an empty panel list on any role', () => {
    expect(actorFromClaims({ ...lead, panels: [] })).toMatchObject({ ok: true, actor: { panels: [] } });
  });

  it.each([
    ['no sub', { ...lead, sub: undefined }, 'sub'],
    ['an empty sub', { ...lead, sub: '' }, 'sub'],
    ['a numeric sub', { ...lead, sub: 42 }, 'sub'],
    ['a sub with a line break', { ...lead, sub: 'user\nadmin' }, 'sub'],
    ['no role', { ...lead, role: undefined }, 'role'],
    ['an unknown role', { ...lead, role: 'superuser' }, 'role'],
    ['a role in the wrong case', { ...lead, role: 'Lead' }, 'role'],
    ['no agency', { ...lead, agency: undefined }, 'agency'],
    ['a blank agency', { ...lead, agency: '  ' }, 'agency'],
    ['an agency the registry does not know', { ...lead, agency: 'acme-recruitment' }, 'agency'],
    ['an agency that is only part of a name', { ...lead, agency: 'dorset' }, 'agency'],
    ['no region', { ...lead, region: undefined }, 'region'],
    ['a region that is not kebab-case', { ...lead, region: 'South West' }, 'region'],
    ['a region with a trailing dash', { ...lead, region: 'south-' }, 'region'],
    ['panels that are not an array', { ...lead, role: 'panel-chair', panels: 'sw-1' }, 'panels'],
    ['a panel id that is not a string', { ...lead, role: 'panel-chair', panels: [1] }, 'panels'],
    ['an empty panel id', { ...lead, role: 'panel-chair', panels: [''] }, 'panels'],
    ['panels on a role that sits on none', { ...lead, panels: ['sw-1'] }, 'panels'],
    ['a sub too long to be an id', { ...lead, sub: 'x'.repeat(257) }, 'sub'],
  ])('refuses %s, naming the claim', (_case, claims, claim) => {
    expect(actorFromClaims(claims)).toMatchObject({ ok: false, claim });
  });
});
