import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { assessment, referral, when } from './support/pilot-path';

/**
 * First responders' referrals over HTTP (issue 20 part 1): a first responder organisation submits,
 * the region's lead (pilot) or the competent authority (central route) accepts it into a case or
 * returns it, the first responder follows its status and asks for reconsideration. Each refusal
 * names its rule or reason.
 */
describe('/referral-submissions', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
  });
  afterAll(() => api.close());

  // What a first responder sends: the referral, less the organisation (the token's) and its type.
  const submission = (overrides: Record<string, unknown> = {}) => {
    const { referringAgency: _agency, firstResponderType: _type, ...body } = referral(overrides);
    return body;
  };
  const firstResponder = (agency: string, region = 'south-west') =>
    api.token('first-responder', { agency, region, userId: `fr-${agency}` });
  const post = async (path: string, token: string, body?: unknown, at = when.raised) =>
    api.request('POST', path, { token, ...(body === undefined ? {} : { body }), headers: { 'x-occurred-at': at } });
  const get = async (path: string, token: string) => api.request('GET', path, { token });

  function expectRefusal(response: ApiResponse, status: number, match: Record<string, unknown> = {}) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status, ...match } });
  }

  async function submitted(agency = 'dorset-police', overrides: Record<string, unknown> = {}, region?: string) {
    const response = await post('/referral-submissions', await firstResponder(agency, region), submission(overrides));
    expect(response.status).toBe(201);
    return String(response.body.submissionId);
  }

  it("is accepted by the region's lead into a case; the first responder sees its status, not the panel's", async () => {
    const dorset = await firstResponder('dorset-police');
    const response = await post('/referral-submissions', dorset, submission());
    expect(response.status).toBe(201);
    const id = String(response.body.submissionId);
    expect(response.headers.get('location')).toBe(`/referral-submissions/${id}`);
    expect((await get(`/referral-submissions/${id}`, dorset)).body).toMatchObject({
      status: 'submitted',
      referringAgency: 'dorset-police',
      caseId: null,
    });

    const lead = await api.token('lead', { region: 'south-west', userId: 'lead-sw' });
    const accepted = await post(`/referral-submissions/${id}/acceptance`, lead, undefined, when.assessed);
    expect(accepted.status).toBe(201);
    const caseId = String(accepted.body.caseId);
    const file = await get(`/cases/${caseId}/file`, lead);
    // Referred by the token's organisation; raised when the lead accepted it.
    expect(file.body).toMatchObject({
      status: 'referred',
      file: { referringAgency: 'dorset-police', raisedAt: when.assessed, leadIds: ['lead-sw'] },
    });

    const status = await get(`/referral-submissions/${id}`, dorset);
    expect(status.body).toEqual({
      submissionId: id,
      status: 'accepted',
      region: 'south-west',
      referringAgency: 'dorset-police',
      submittedAt: when.raised,
      caseId,
      caseStatus: 'referred',
      returnedReason: null,
      decidedAt: when.assessed,
    });
    // The case routes stay closed to it: no members, votes or minutes reach a first responder.
    expect((await get(`/cases/${caseId}/file`, dorset)).status).toBe(403);
    expect((await get(`/cases/${caseId}/decisions`, dorset)).status).toBe(403);
  });

  it('refuses an organisation that is not a first responder: 422 not-a-first-responder', async () => {
    const health = await firstResponder('nhs-south-west');
    expectRefusal(await post('/referral-submissions', health, submission()), 422, { rule: 'not-a-first-responder' });
  });

  it('refuses a lead submitting (403) and a first responder naming its organisation in the body (400)', async () => {
    const lead = await api.token('lead', { region: 'south-west' });
    expectRefusal(await post('/referral-submissions', lead, submission()), 403);
    const dorset = await firstResponder('dorset-police');
    expectRefusal(await post('/referral-submissions', dorset, referral()), 400);
  });

  it('refuses what the lead could never accept: an adult without consent, 422 adult-consent-required', async () => {
    const dorset = await firstResponder('dorset-police');
    expectRefusal(await post('/referral-submissions', dorset, submission({ consent: { given: false } })), 422, {
      rule: 'adult-consent-required',
    });
  });

  it('hides a submission from another organisation and from another region (404)', async () => {
    const id = await submitted();
    expectRefusal(await get(`/referral-submissions/${id}`, await firstResponder('bristol-city-council')), 404);
    const westYorkshire = await api.token('lead', { region: 'west-yorkshire' });
    expectRefusal(await get(`/referral-submissions/${id}`, westYorkshire), 404);
  });

  it('refuses acceptance by the first responder (403), by a case manager (403) and by another region (403, outside the region)', async () => {
    const id = await submitted();
    const path = `/referral-submissions/${id}/acceptance`;
    expectRefusal(await post(path, await firstResponder('dorset-police'), undefined, when.assessed), 403);
    expectRefusal(
      await post(path, await api.token('case-manager', { region: 'south-west' }), undefined, when.assessed),
      403,
    );
    const westYorkshire = await api.token('lead', { region: 'west-yorkshire' });
    expectRefusal(await post(path, westYorkshire, undefined, when.assessed), 403, {
      detail: expect.stringContaining('outside west-yorkshire'),
    });
  });

  it('is returned with a reason the first responder reads; then it can be neither accepted nor returned (422)', async () => {
    const id = await submitted();
    const lead = await api.token('lead', { region: 'south-west' });
    expectRefusal(await post(`/referral-submissions/${id}/return`, lead, { reason: '' }, when.assessed), 400);
    const reason = 'The account is too brief to assess; please add what the person described.';
    expect((await post(`/referral-submissions/${id}/return`, lead, { reason }, when.assessed)).status).toBe(200);
    const status = await get(`/referral-submissions/${id}`, await firstResponder('dorset-police'));
    expect(status.body).toMatchObject({ status: 'returned', returnedReason: reason, caseId: null });
    expectRefusal(await post(`/referral-submissions/${id}/acceptance`, lead, undefined, when.assessed), 422, {
      rule: 'referral-not-awaiting-acceptance',
    });
  });

  it('goes to the competent authority on the central route; the lead may not accept it (403)', async () => {
    const met = { policeForceArea: 'metropolitan', region: 'london' };
    const id = await submitted('metropolitan-police', met, 'london');
    const path = `/referral-submissions/${id}/acceptance`;
    expectRefusal(await post(path, await api.token('lead', { region: 'london' }), undefined, when.assessed), 403);
    const ukvi = await api.token('competent-authority', { agency: 'uk-visas-and-immigration', userId: 'ca-ukvi' });
    const accepted = await post(path, ukvi, undefined, when.assessed);
    expect(accepted.status).toBe(201);
    const status = await get(`/referral-submissions/${id}`, await firstResponder('metropolitan-police', 'london'));
    expect(status.body).toMatchObject({ status: 'accepted', caseStatus: 'referred' });
  });

  it('lets the referring first responder ask for reconsideration, and refuses another organisation (403, not-the-referrer)', async () => {
    const id = await submitted();
    const lead = await api.token('lead', { region: 'south-west', userId: 'lead-sw' });
    const caseId = String(
      (await post(`/referral-submissions/${id}/acceptance`, lead, undefined, when.raised)).body.caseId,
    );
    expect((await post(`/cases/${caseId}/lead-assessment`, lead, assessment('negative'), when.assessed)).status).toBe(
      200,
    );
    const request = {
      requestedBy: 'first-responder',
      grounds: 'A medical report received since supports the account.',
    };
    const path = `/cases/${caseId}/reconsideration-requests`;
    expectRefusal(await post(path, await firstResponder('bristol-city-council'), request, when.listed), 403, {
      detail: expect.stringContaining('referred by another organisation'),
    });
    expect((await post(path, await firstResponder('dorset-police'), request, when.listed)).status).toBe(200);
  });
});
