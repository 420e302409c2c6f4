import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, convening, listing, MEMBERS, PANEL_ID, referral, when } from './support/pilot-path';

/**
 * Organisations are identities (issue 26): a referral names its referring organisation by a name
 * or id the registry knows, and is recorded by id; the chair independence rule compares ids, so a
 * chair whose token names the referring force is refused however the token spells it.
 */
describe('organisations over HTTP', () => {
  let api: ApiHarness;
  let lead: string;
  let caseManager: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    lead = await api.token('lead', { userId: 'lead-1' });
    caseManager = await api.token('case-manager', { userId: 'cm-1' });
  });
  afterAll(() => api.close());

  const post = (path: string, token: string, body: unknown, at: string) =>
    api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });

  async function listedCase(referringAgency: string): Promise<string> {
    const raised = await post('/cases', lead, referral({ referringAgency }), when.raised);
    expect({ status: raised.status, body: raised.body }).toMatchObject({ status: 201 });
    const caseId = String(raised.body.caseId);
    expect((await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed)).status).toBe(200);
    expect((await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed)).status).toBe(200);
    return caseId;
  }

  it('refuses a referring organisation the registry does not know with a 422 naming the field, recording nothing', async () => {
    const response = await post('/cases', lead, referral({ referringAgency: 'Acme Recruitment Ltd' }), when.raised);
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 422,
      body: { status: 422, rule: 'unknown-organisation', field: 'referringAgency' },
    });
    expect(String(response.body.type)).toMatch(/rules\/unknown-organisation$/);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const cases = await api.request<{ items: unknown[] }>('GET', '/cases', { token: caseManager });
    expect(cases.status).toBe(200);
    expect(cases.body.items).toEqual([]);
  });

  // Every spelling the token tool and the referral form accept for the same force: its id, its
  // name in any case, and the constabulary's own name against its id.
  it.each([
    ['dorset-police', 'Dorset Police'],
    ['Dorset Police', 'dorset-police'],
    ['DORSET POLICE', 'Dorset Police'],
    ['dorset police', 'DORSET-POLICE'],
    ['Gloucestershire Constabulary', 'gloucestershire-police'],
    ['gloucestershire-police', 'Gloucestershire Constabulary'],
  ])(
    'refuses a chair whose token says --agency %p on a case referred by %p (not independent)',
    async (agency, referringAgency) => {
      const caseId = await listedCase(referringAgency);
      const chair = await api.token('panel-chair', { userId: 'chair-dorset', agency, panels: [PANEL_ID] });
      const response = await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting);
      expect({ status: response.status, body: response.body }).toMatchObject({
        status: 422,
        body: { rule: 'panel-needs-independent-chair' },
      });
    },
  );

  it('mints no token whose agency names no organisation of the registry', async () => {
    await expect(api.token('panel-chair', { agency: 'Dorset', panels: [PANEL_ID] })).rejects.toThrow(
      /agency must be the id of an organisation of the registry/,
    );
  });

  it('refuses a panel member organisation the registry does not know: 422 naming the field, nothing recorded', async () => {
    const caseId = await listedCase('dorset-police');
    const chair = await api.token('panel-chair', {
      userId: 'chair-ind',
      agency: 'independent-chair',
      panels: [PANEL_ID],
    });
    const members = [...MEMBERS, { ...MEMBERS[0], memberId: 'm-acme', agency: 'Acme Safeguarding Ltd' }];
    const response = await post(`/cases/${caseId}/panel-convening`, chair, convening(members), when.meeting);
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 422,
      body: { rule: 'unknown-organisation', field: `members.${MEMBERS.length}.agency` },
    });
    const read = await api.request('GET', `/cases/${caseId}/history`, { token: await api.token('auditor') });
    expect((read.body.items as { type: string }[]).map((item) => item.type)).not.toContain('PanelConvened');
  });

  it("refuses a member from another region's force on the South West panel (422 panel-member-from-another-region)", async () => {
    const caseId = await listedCase('dorset-police');
    const chair = await api.token('panel-chair', {
      userId: 'chair-ind',
      agency: 'independent-chair',
      panels: [PANEL_ID],
    });
    const members = [...MEMBERS, { ...MEMBERS[0], memberId: 'm-wy', agency: 'West Yorkshire Police' }];
    const response = await post(`/cases/${caseId}/panel-convening`, chair, convening(members), when.meeting);
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 422,
      body: { rule: 'panel-member-from-another-region' },
    });
  });

  it('records the panel by registry ids and shows the registry names', async () => {
    const caseId = await listedCase('Dorset Police');
    const chair = await api.token('panel-chair', {
      userId: 'chair-ind',
      agency: 'Independent chair',
      panels: [PANEL_ID],
    });
    const response = await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting);
    expect(response.status).toBe(200);
    const history = await api.request<{ items: { type: string; data: Record<string, unknown> }[] }>(
      'GET',
      `/cases/${caseId}/history`,
      { token: await api.token('auditor') },
    );
    const convened = history.body.items.find((item) => item.type === 'PanelConvened');
    expect(convened?.data).toMatchObject({
      chair: { agency: 'independent-chair' },
      members: [
        { memberId: 'm-police', agency: 'dorset-police' },
        { memberId: 'm-nhs', agency: 'nhs-south-west' },
        { memberId: 'm-la', agency: 'dorset-council' },
        { memberId: 'm-glaa', agency: 'glaa' },
        { memberId: 'm-ukvi', agency: 'uk-visas-and-immigration' },
      ],
    });
  });

  it('accepts a chair from another force', async () => {
    const caseId = await listedCase('dorset-police');
    const chair = await api.token('panel-chair', {
      userId: 'chair-wilts',
      agency: 'wiltshire-police',
      panels: [PANEL_ID],
    });
    const response = await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  });
});

describe('GET /organisations', () => {
  let api: ApiHarness;
  let analyst: string;

  beforeAll(async () => {
    api = await startApi();
    analyst = await api.token('analyst');
  });
  afterAll(() => api.close());

  type Listed = { items: { id: string; name: string; type: string; region?: string }[]; nextCursor: string | null };

  it('lists the registry, filtered by type and region, with the names as the organisations write them', async () => {
    const forces = await api.request<Listed>('GET', '/organisations?type=police&region=south-west', { token: analyst });
    expect(forces.status).toBe(200);
    expect(forces.body.nextCursor).toBeNull();
    expect(forces.body.items.map((org) => org.id).sort()).toEqual([
      'avon-and-somerset-police',
      'devon-and-cornwall-police',
      'dorset-police',
      'gloucestershire-police',
      'wiltshire-police',
    ]);
    expect(forces.body.items).toContainEqual({
      id: 'gloucestershire-police',
      name: 'Gloucestershire Constabulary',
      type: 'police',
      region: 'south-west',
    });

    const agencies = await api.request<Listed>('GET', '/organisations?type=government-agency', { token: analyst });
    expect(agencies.body.items).toContainEqual({ id: 'glaa', name: 'GLAA', type: 'government-agency' });
    expect(agencies.body.items.every((org) => org.type === 'government-agency')).toBe(true);

    const all = await api.request<Listed>('GET', '/organisations', { token: analyst });
    expect(all.body.items.length).toBeGreaterThan(forces.body.items.length + agencies.body.items.length);
  });

  it('refuses an unknown type or region naming the field (400), and a request without a token (401)', async () => {
    const badType = await api.request('GET', '/organisations?type=charity', { token: analyst });
    expect(badType.status).toBe(400);
    expect(JSON.stringify(badType.body.errors)).toContain('"field":"type"');
    const badRegion = await api.request('GET', '/organisations?region=atlantis', { token: analyst });
    expect(badRegion.status).toBe(400);
    expect(JSON.stringify(badRegion.body.errors)).toContain('"field":"region"');
    expect((await api.request('GET', '/organisations')).status).toBe(401);
  });
});
