import { startApi, type ApiHarness } from './support/api-harness';
import { PANEL_ID, assessment, convening, decision, listing, referral, when } from './support/pilot-path';

/** GET /workflows/:id/versions/:version/replay-diff: auditors only, JSON or HTML, bad input refused. */
describe('the replay-diff API', () => {
  let api: ApiHarness;
  let auditor: string;
  let caseId: string;
  const path = '/workflows/nrm-pilot-2015/versions/1/replay-diff';

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    auditor = await api.token('auditor', { userId: 'auditor-1' });
    const lead = await api.token('lead', { userId: 'lead-1' });
    const caseManager = await api.token('case-manager', { userId: 'cm-1' });
    const chair = await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] });
    const post = async (to: string, token: string, body: unknown, at: string) => {
      const response = await api.request('POST', to, { token, body, headers: { 'x-occurred-at': at } });
      expect(response.status).toBeLessThan(300);
      return response;
    };
    caseId = String((await post('/cases', lead, referral(), when.raised)).body.caseId);
    await post(`/cases/${caseId}/lead-assessment`, lead, assessment(), when.assessed);
    await post(`/cases/${caseId}/panel-listing`, caseManager, listing(), when.listed);
    await post(`/cases/${caseId}/panel-convening`, chair, convening(), when.meeting);
    await post(`/cases/${caseId}/decisions`, chair, decision(), when.decided);
  });
  afterAll(() => api.close());

  it('re-decides the case under the definition it ran under: every command, no difference', async () => {
    const response = await api.request('GET', `${path}?cases=${caseId}`, { token: auditor });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      definition: { id: 'nrm-pilot-2015', version: 1 },
      casesReplayed: 1,
      commandsReplayed: 4,
      notReconstructed: { referral: 1 },
      differences: [],
      summary: [],
    });
  });

  it('answers with the HTML report when asked', async () => {
    const response = await api.request('GET', `${path}?format=html`, { token: auditor });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it.each(['lead', 'case-manager', 'panel-chair', 'analyst', 'admin'] as const)('refuses a %s', async (role) => {
    const response = await api.request('GET', path, { token: await api.token(role) });
    expect(response.status).toBe(403);
  });

  it.each([
    ['/workflows/nrm-pilot-2015/versions/9/replay-diff', 'version'],
    ['/workflows/no-such/versions/1/replay-diff', 'version'],
    [`${path}?cases=not-an-id`, 'cases'],
    [`${path}?format=pdf`, 'format'],
  ])('refuses %s naming the field %s', async (url, field) => {
    const response = await api.request('GET', url, { token: auditor });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ field }] });
  });
});
