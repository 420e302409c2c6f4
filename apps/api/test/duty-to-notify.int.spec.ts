import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';

/**
 * The Duty to Notify (Modern Slavery Act 2015, s.52) over HTTP: who may notify, where and from
 * when, and that a report stays anonymous. Each refusal names its rule.
 */
describe('POST /duty-to-notify-reports', () => {
  let api: ApiHarness;
  const inForce = '2015-11-16T10:00:00.000Z';

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2015-12-01T09:00:00.000Z');
  });
  afterAll(() => api.close());

  const report = (overrides: Record<string, unknown> = {}) => ({
    region: 'south-west',
    policeForceArea: 'dorset',
    ageGroup: 'adult',
    gender: 'female',
    nationality: 'ROU',
    exploitationTypes: ['sexual'],
    exploitationLocation: 'uk',
    reportingAgency: 'Dorset Police',
    firstResponderType: 'police',
    refusalReason: 'fear-of-exploiters',
    ...overrides,
  });

  const notify = async (claims: { agency: string; region?: string }, body: unknown, at = inForce) =>
    api.request('POST', '/duty-to-notify-reports', {
      token: await api.token('lead', claims),
      body,
      headers: { 'x-occurred-at': at },
    });

  function expectRefusal(response: ApiResponse, status: number, rule?: string) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.status).toBe(status);
    if (rule) expect(response.body).toMatchObject({ status, rule });
  }

  it('accepts a police force, a council, the NCA and Border Force, and says the report is anonymous', async () => {
    for (const agency of ['dorset-police', 'dorset-council', 'national-crime-agency', 'border-force']) {
      const response = await notify({ agency }, report());
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        reportId: expect.any(String),
        anonymous: true,
        notice: expect.stringContaining('no field that identifies the person'),
      });
    }
  });

  it('refuses an NGO: 422 dtn-not-a-notifying-authority', async () => {
    expectRefusal(await notify({ agency: 'salvation-army' }, report()), 422, 'dtn-not-a-notifying-authority');
  });

  it('refuses a notification before 1 November 2015: 422 dtn-before-commencement', async () => {
    expectRefusal(
      await notify({ agency: 'dorset-police' }, report(), '2015-10-31T12:00:00.000Z'),
      422,
      'dtn-before-commencement',
    );
  });

  it('refuses a notification from Scotland: 422 dtn-england-and-wales-only', async () => {
    const body = report({ region: 'scotland', policeForceArea: 'police-scotland', reportingAgency: 'Police Scotland' });
    expectRefusal(
      await notify({ agency: 'police-scotland-police', region: 'scotland' }, body),
      422,
      'dtn-england-and-wales-only',
    );
  });

  it('accepts no identifying field: 400 names the field', async () => {
    for (const field of [{ name: 'Jane Doe' }, { dateOfBirth: '1990-01-01' }, { contact: { phone: '07700 900000' } }]) {
      const response = await notify({ agency: 'dorset-police' }, report(field));
      expectRefusal(response, 400);
    }
  });
});
