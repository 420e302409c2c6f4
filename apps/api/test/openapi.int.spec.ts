import { startApi, type ApiHarness } from './support/api-harness';

interface Schema {
  $ref?: string;
  type?: string;
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}

/** The OpenAPI description is public, complete, and shows an example for every field. */
describe('OpenAPI at /docs', () => {
  let api: ApiHarness;
  let document: {
    info: { description: string };
    paths: Record<string, Record<string, { summary?: string; security?: unknown[]; responses: object }>>;
    components: { schemas: Record<string, Schema>; securitySchemes: object };
    security?: unknown[];
  };

  beforeAll(async () => {
    api = await startApi();
    const response = await api.request('GET', '/docs/json');
    expect(response.status).toBe(200);
    document = response.body as never;
  });
  afterAll(() => api.close());

  it('says how to get a token and where the JSON document is', () => {
    const { description } = document.info;
    expect(description).toContain('npm run -s token -- --role lead --region south-west');
    expect(description).toContain('`/docs/json`');
  });

  it('serves the UI without a token', async () => {
    const ui = await fetch(`${api.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });

  it('describes every route with a summary and bearer security', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(17);
    expect(document.components.securitySchemes).toHaveProperty('bearer');
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const { route, operation } of operations) {
      expect({ route, summary: typeof operation.summary === 'string' && operation.summary.length > 0 }).toEqual({
        route,
        summary: true,
      });
    }
  });

  it('gives an example for every scalar field of every request and response body', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        const nested = property.$ref || property.allOf || property.items?.$ref;
        if (!nested && property.example === undefined) missing.push(`${name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
