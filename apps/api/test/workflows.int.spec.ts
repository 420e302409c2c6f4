import { REGIONS } from '@harbour/domain';
import { startApi, type ApiHarness } from './support/api-harness';

describe('GET /workflows', () => {
  let api: ApiHarness;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('analyst');
  });
  afterAll(() => api.close());

  it('lists every workflow definition, with the regions the default routes send to each', async () => {
    const response = await api.request('GET', '/workflows', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      nextCursor: null,
      items: [
        {
          id: 'nrm-pilot-2015',
          version: 1,
          title: expect.stringContaining('2015 pilot'),
          regions: ['south-west', 'west-yorkshire'],
        },
        {
          id: 'nrm-central-2015',
          version: 1,
          title: expect.stringContaining('central route'),
          regions: REGIONS.filter((region) => region !== 'south-west' && region !== 'west-yorkshire'),
        },
      ],
    });
  });

  it('serves the central definition: competent authority decisions, no panel', async () => {
    const response = await api.request<Record<string, unknown> & { mermaid: string; states: string[] }>(
      'GET',
      '/workflows/nrm-central-2015',
      { token },
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 'nrm-central-2015',
      version: 1,
      regions: expect.arrayContaining(['london', 'wales']),
      commands: { referred: { MakeReasonableGroundsDecision: ['competent-authority'] } },
    });
    expect(response.body.states).not.toContain('panel-convened');
    expect(response.body.transitions).toContainEqual({
      from: 'recovery',
      command: 'RecordDecision',
      to: ['decided-positive', 'decided-negative'],
    });
    expect(response.body.mermaid).toContain('    referred --> recovery : MakeReasonableGroundsDecision\n');
  });

  it('serves one definition with its transitions and a Mermaid diagram', async () => {
    const response = await api.request<Record<string, unknown> & { mermaid: string }>(
      'GET',
      '/workflows/nrm-pilot-2015',
      { token: await api.token('lead') },
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 'nrm-pilot-2015',
      version: 1,
      regions: ['south-west', 'west-yorkshire'],
      terminal: ['closed', 'withdrawn'],
      commands: { none: { RaiseReferral: ['lead'] }, closed: {} },
      rules: { recoveryPeriodDays: 45, panelQuorum: 5 },
    });
    expect(response.body.states).toContain('panel-convened');
    expect(response.body.transitions).toContainEqual({
      from: 'panel-convened',
      command: 'RecordDecision',
      to: ['decided-positive', 'decided-negative'],
    });
    expect(response.body.mermaid.split('\n')[0]).toBe('stateDiagram-v2');
    expect(response.body.mermaid).toContain('    [*] --> referred : RaiseReferral\n');
    expect(response.body.mermaid).toContain('    listed --> panel_convened : ConvenePanel\n');
  });

  it.each([
    ['nrm-pilot-2015', ['lead-assessment', 'recovery-period', 'information-request'], ['panel-notice']],
    ['nrm-central-2015', ['reasonable-grounds-decision', 'recovery-period', 'information-request'], []],
  ])('serves the deadlines of %s', async (id, kinds, notices) => {
    const response = await api.request<{
      deadlines: { kind: string; duration: unknown; onDue: string }[];
      notices: { kind: string }[];
    }>('GET', `/workflows/${id}`, { token: await api.token('analyst') });

    expect(response.body.deadlines.map((deadline) => deadline.kind)).toEqual(kinds);
    expect(response.body.deadlines[0]).toMatchObject({
      duration: { amount: 5, unit: 'working-days' },
      onDue: 'breach',
    });
    expect(response.body.deadlines[1]).toMatchObject({ duration: { amount: 45, unit: 'calendar-days' }, onDue: 'end' });
    expect(response.body.notices.map((notice) => notice.kind)).toEqual(notices);
  });

  it('answers an unknown id with a 404 problem', async () => {
    const response = await api.request('GET', '/workflows/no-such-workflow', { token });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'Not found' });
    expect(String(response.body.type)).toMatch(/not-found$/);
  });

  it('answers 401 without a token', async () => {
    for (const path of ['/workflows', '/workflows/nrm-pilot-2015']) {
      const response = await api.request('GET', path);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="harbour"');
    }
  });
});
