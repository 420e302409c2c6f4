import { POLICE_FORCE_AREAS, REGIONS } from './police-regions.model';
import {
  LOCAL_AUTHORITY_CODES,
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

describe('the registry’s councils and NGOs', () => {
  const councils = ORGANISATIONS.filter((org) => org.type === 'local-authority' && org.succeededBy === undefined);

  it('gives every council of England, Wales and Scotland its official ONS/GSS code, each code once', () => {
    const uncoded = councils.filter((org) => org.code === undefined).map((org) => org.region);
    // Northern Ireland's health and social care trusts have no council code.
    expect(new Set(uncoded)).toEqual(new Set(['northern-ireland']));
    const codes = councils.flatMap((org) => (org.code ? [org.code] : []));
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^(E0[689]|E10|W06|S12)\d{6}$/);
    // Every code names a council of the registry, not a stale spelling.
    expect(Object.keys(LOCAL_AUTHORITY_CODES).every((name) => councils.some((org) => org.name === name))).toBe(true);
  });

  it('lists every English county and unitary council, London borough and Welsh principal council of April 2023', () => {
    const count = (prefix: string) => councils.filter((org) => org.code?.startsWith(prefix)).length;
    expect({
      unitary: count('E06'),
      metropolitan: count('E08'),
      london: count('E09'),
      counties: count('E10'),
      wales: count('W06'),
    }).toEqual({
      unitary: 63, // 62 unitary authorities and the Council of the Isles of Scilly (sui generis, coded E06)
      metropolitan: 36,
      london: 33,
      counties: 21,
      wales: 22,
    });
  });

  it.each([
    ['E06000059', 'dorset-council', 'Dorset Council', 'south-west'],
    [
      'E06000058',
      'bournemouth-christchurch-and-poole-council',
      'Bournemouth, Christchurch and Poole Council',
      'south-west',
    ],
    ['E06000066', 'somerset-council', 'Somerset Council', 'south-west'],
    ['E08000035', 'leeds-city-council', 'Leeds City Council', 'west-yorkshire'],
    ['E06000065', 'north-yorkshire-council', 'North Yorkshire Council', 'yorkshire-and-the-humber'],
    ['E08000039', 'sheffield-city-council', 'Sheffield City Council', 'yorkshire-and-the-humber'],
    ['W06000015', 'cardiff-council', 'Cardiff Council', 'wales'],
  ])('knows %s as %s (%s, %s), and resolves the code to it', (code, id, name, region) => {
    expect(organisationById(id)).toEqual({ id, name, type: 'local-authority', region, code });
    expect(resolveOrganisationId(code)).toBe(id);
    expect(resolveOrganisationId(code.toLowerCase())).toBe(id);
  });

  it('keeps the councils of 2015 since replaced, with their codes and successors', () => {
    expect(organisationById('somerset-county-council')).toMatchObject({
      name: 'Somerset County Council',
      code: 'E10000027',
      region: 'south-west',
      succeededBy: 'somerset-council',
    });
    for (const former of ORGANISATIONS.filter((org) => org.succeededBy !== undefined)) {
      expect([former.id, organisationById(former.succeededBy ?? '')?.region]).toEqual([former.id, former.region]);
    }
  });

  it.each([
    ['salvation-army', 'The Salvation Army'],
    ['migrant-help', 'Migrant Help'],
    ['barnardos', "Barnardo's"],
    ['kalayaan', 'Kalayaan'],
    ['unseen-uk', 'Unseen UK'],
    ['medaille-trust', 'Medaille Trust'],
    ['eaves-poppy-project', 'Eaves (the Poppy Project)'],
    ['nspcc', 'NSPCC'],
    ['refugee-council', 'Refugee Council'],
    ['tara-project', 'TARA (Trafficking Awareness Raising Alliance)'],
  ])('lists the NGO %s, named %p, typed ngo', (id, name) => {
    expect(organisationById(id)).toMatchObject({ id, name, type: 'ngo' });
  });

  it.each([
    ['Poppy Project', 'eaves-poppy-project'],
    ['Unseen', 'unseen-uk'],
    ['The Salvation Army', 'salvation-army'],
    ['Home Office', 'home-office'],
  ])('resolves the short name %p to %p', (text, id) => {
    expect(resolveOrganisationId(text)).toBe(id);
  });
});
