import { POLICE_FORCE_AREAS, REGIONS } from './police-regions.model';
import {
  ORGANISATIONS,
  organisationById,
  organisationName,
  resolveOrganisationId,
  sameOrganisation,
} from './organisations.data';

describe('the organisation registry', () => {
  it('gives every organisation one stable id', () => {
    const ids = ORGANISATIONS.map((org) => org.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('lists every police force of the UK, each in its own region, and the British Transport Police', () => {
    const forces = ORGANISATIONS.filter((org) => org.type === 'police');
    const areaCount = REGIONS.reduce((count, region) => count + POLICE_FORCE_AREAS[region].length, 0);
    expect(forces).toHaveLength(areaCount + 1);
    expect(organisationById('dorset-police')).toEqual({
      id: 'dorset-police',
      name: 'Dorset Police',
      type: 'police',
      region: 'south-west',
    });
    expect(organisationById('british-transport-police')).toMatchObject({
      type: 'police',
      name: 'British Transport Police',
    });
  });

  it('holds councils and national agencies with their names as they write them', () => {
    expect(organisationById('bristol-city-council')).toMatchObject({ type: 'local-authority', region: 'south-west' });
    expect(organisationName('glaa')).toBe('GLAA');
    expect(organisationName('national-crime-agency')).toBe('National Crime Agency');
    expect(organisationName('barnardos')).toBe("Barnardo's");
    expect(organisationById('no-such-council')).toBeUndefined();
  });

  it.each([
    ['dorset-police', 'dorset-police'],
    ['Dorset Police', 'dorset-police'],
    [' DORSET  POLICE ', 'dorset-police'],
    ['Gloucestershire Constabulary', 'gloucestershire-police'],
    ['UKVI', 'uk-visas-and-immigration'],
    ['Gangmasters and Labour Abuse Authority', 'glaa'],
    ["Barnardo's", 'barnardos'],
  ])('resolves %p to the id %p', (text, id) => {
    expect(resolveOrganisationId(text)).toBe(id);
  });

  it.each(['Dorset', 'Acme Recruitment Ltd', '', '   '])('resolves %p to no organisation', (text) => {
    expect(resolveOrganisationId(text)).toBeUndefined();
  });

  it('tells whether two texts name the same organisation, whatever the spelling', () => {
    expect(sameOrganisation('dorset-police', 'Dorset Police')).toBe(true);
    expect(sameOrganisation('gloucestershire-police', 'Gloucestershire Constabulary')).toBe(true);
    expect(sameOrganisation('wiltshire-police', 'Dorset Police')).toBe(false);
    // Names from before the registry still compare, by spelling only.
    expect(sameOrganisation('Acme Recruitment', 'acme-recruitment')).toBe(true);
    expect(sameOrganisation('', ' ')).toBe(false);
  });
});
