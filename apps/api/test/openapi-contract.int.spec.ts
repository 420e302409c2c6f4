import { dirname, join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { FakeClock } from '@harbour/application';
import { startApi, type ApiHarness } from './support/api-harness';

const FIXTURE = join(__dirname, 'openapi-client', 'walkthrough.ts');
const GENERATED = join(dirname(FIXTURE), 'harbour-api.ts');

/**
 * The fixture's entry point. It is loaded at run time, not imported: its `./harbour-api` module
 * exists only in the compiler host below, so the project's type check leaves the folder out.
 */
type WalkThrough = (options: {
  baseUrl: string;
  tokens: { lead: string; caseManager: string; chair: string };
  middleware: Middleware;
}) => Promise<{ caseId: string; status: string; revisions: string[]; reads: object; refusal: object }>;

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: object }>; headers?: Record<string, object> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; headers: Record<string, object> };
  servers?: { url: string }[];
}

/**
 * The OpenAPI document is a contract: a client generated from it drives a case end to end with
 * no cast, every response it gets is the one the document describes, and Redocly's recommended
 * rules find nothing to say.
 */
describe('OpenAPI document as a contract', () => {
  let api: ApiHarness;
  let document: Document;

  beforeAll(async () => {
    // Late enough that every business time of the walk-through is in the past.
    api = await startApi({ clock: new FakeClock(new Date('2015-11-01T09:00:00.000Z')) });
    const served = await api.request<Document>('GET', '/docs/json');
    expect(served.status).toBe(200);
    document = served.body;
  });
  afterAll(() => api.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it("passes Redocly's recommended ruleset with no error and no warning", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), config });
    expect(problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message}`)).toEqual([]);
  });

  it('gives every success a JSON schema and every error an application/problem+json one', () => {
    const missing: string[] = [];
    for (const { route, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const mediaType = Number(status) < 400 ? 'application/json' : 'application/problem+json';
        const schema = response.content?.[mediaType]?.schema;
        if (!schema) missing.push(`${route} ${status}: no ${mediaType} schema`);
        else if (Number(status) >= 400 && JSON.stringify(schema) !== '{"$ref":"#/components/schemas/ProblemDetails"}') {
          missing.push(`${route} ${status}: not ProblemDetails`);
        }
        if (!response.headers?.['X-Correlation-Id']) missing.push(`${route} ${status}: no X-Correlation-Id header`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares each operation once, by a name that says what it does, with only the headers that apply', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const byId: Record<string, { route: string; operation: Operation }> = Object.fromEntries(
      operations().map(({ route, operation }) => [operation.operationId, { route, operation }]),
    );
    expect(byId.getCaseFile.route).toBe('GET /cases/{caseId}/file');
    expect(byId.getCaseStatus.route).toBe('GET /cases/{caseId}');

    const headers = (id: string) =>
      (byId[id].operation.parameters ?? []).filter((parameter) => parameter.in === 'header').map(({ name }) => name);
    const statuses = (id: string) => Object.keys(byId[id].operation.responses);
    // A new record has no revision to match: no If-Match, no 412, no 404.
    for (const id of ['raiseReferral', 'registerPanel', 'reportDutyToNotify']) {
      expect({ id, headers: headers(id).sort() }).toEqual({
        id,
        headers: ['Idempotency-Key', 'X-Correlation-Id', 'X-Occurred-At'],
      });
      expect(statuses(id)).not.toContain('412');
      expect(statuses(id)).not.toContain('404');
    }
    for (const id of ['placeLegalHold', 'releaseLegalHold', 'eraseSubjectData', 'recordLeadAssessment']) {
      expect({ id, headers: headers(id).sort() }).toEqual({
        id,
        headers: ['Idempotency-Key', 'If-Match', 'X-Correlation-Id', 'X-Occurred-At'],
      });
      expect(statuses(id)).toEqual(expect.arrayContaining(['404', '409', '412', '422']));
    }
    // Created records say where they are; every command can be replayed.
    expect(Object.keys(byId.raiseReferral.operation.responses['201'].headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Location', 'Idempotent-Replayed']),
    );
    expect(Object.keys(byId.getCaseStatus.operation.responses['200'].headers ?? {})).toContain('ETag');
    expect(Object.keys(byId.listCases.operation.responses['503'].headers ?? {})).toContain('Retry-After');
    expect(Object.keys(document.components.headers).sort()).toEqual(
      ['ETag', 'Idempotent-Replayed', 'Location', 'Retry-After', 'WWW-Authenticate', 'X-Correlation-Id'].sort(),
    );
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('gives every list one shape: items and nextCursor, paged with limit and cursor', () => {
    const lists = [
      'listCases',
      'listPanelSchedule',
      'listCaseReads',
      'getCaseHistory',
      'listWorkflows',
      'listTreeHeads',
    ];
    for (const id of lists) {
      const { operation } = operations().find((entry) => entry.operation.operationId === id)!;
      const ref = (operation.responses['200'].content?.['application/json']?.schema as { $ref: string }).$ref;
      const schema = document.components.schemas[ref.split('/').pop()!] as {
        properties: Record<string, { type?: string; items?: { $ref?: string } }>;
        required: string[];
      };
      expect({ id, required: schema.required }).toEqual({
        id,
        required: expect.arrayContaining(['items', 'nextCursor']),
      });
      expect({ id, items: schema.properties.items.items?.$ref }).toEqual({ id, items: expect.stringMatching(/^#\//) });
      if (id !== 'listWorkflows') {
        const query = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map(({ name }) => name);
        expect({ id, query }).toEqual({ id, query: expect.arrayContaining(['limit', 'cursor']) });
      }
    }
  });

  it('generates a typed client that runs the README walk-through with no cast and no any', async () => {
    const generated = astToString(await openapiTS(document as never));
    const checked = typeCheck(FIXTURE, generated);
    expect(checked.diagnostics).toEqual([]);
    expect(checked.casts).toEqual([]);

    const { walkThrough }: { walkThrough: WalkThrough } = await import(FIXTURE);
    const unexpected: string[] = [];
    const result = await walkThrough({
      baseUrl: api.url,
      tokens: {
        lead: await api.token('lead', { userId: 'lead-1' }),
        caseManager: await api.token('case-manager', { userId: 'cm-1' }),
        chair: await api.token('panel-chair', { userId: 'chair-1', panels: ['south-west-panel'] }),
      },
      middleware: conformsToDocument(document, unexpected),
    });
    expect(result).toEqual({
      caseId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'closed',
      revisions: expect.any(Array),
      reads: {
        fileStatus: 'closed',
        actions: 0,
        decisions: ['conclusive-grounds positive 5 votes'],
        historyTypes: expect.arrayContaining(['ReferralRaised', 'DecisionRecorded', 'CaseClosed']),
        panelListings: 1,
        workflowDeadlines: expect.arrayContaining(['lead-assessment working-days']),
      },
      refusal: { status: 422, rule: expect.any(String), type: expect.stringMatching(/^https:\/\/.+\/rules\//) },
    });
    expect(result.revisions.map(BigInt)).toEqual([...result.revisions.map(BigInt)].sort((a, b) => Number(a - b)));
    // Every response the client got, successes and the refusal, is the one the document describes.
    expect(unexpected).toEqual([]);
  });
});

/**
 * Type-checks `fixture` under `strict` with the generated types as its `./harbour-api` module,
 * and lists every cast (`as`, `<T>`, `!`), `any` and `@ts-` comment in the fixture and the
 * generated code (`as const` is a literal's type, not a cast).
 */
function typeCheck(fixture: string, generated: string): { diagnostics: string[]; casts: string[] } {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === GENERATED || fileExists.call(host, file);
  host.readFile = (file) => (file === GENERATED ? generated : readFile.call(host, file));
  host.getSourceFile = (file, language, onError) =>
    file === GENERATED
      ? ts.createSourceFile(file, generated, language)
      : getSourceFile.call(host, file, language, onError);
  const program = ts.createProgram([fixture], options, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));

  const casts: string[] = [];
  for (const file of [program.getSourceFile(fixture), program.getSourceFile(GENERATED)]) {
    if (!file) throw new Error('the fixture or the generated module was not compiled');
    if (/@ts-(ignore|expect-error|nocheck)/.test(file.text)) casts.push(`${file.fileName}: a @ts- comment`);
    const visit = (node: ts.Node): void => {
      const where = () => `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
      const asConst = ts.isAsExpression(node) && ts.isConstTypeReference(node.type);
      if ((ts.isAsExpression(node) && !asConst) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
        casts.push(`${where()}: ${node.getText(file)}`);
      }
      if (node.kind === ts.SyntaxKind.AnyKeyword) casts.push(`${where()}: any`);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { diagnostics, casts };
}

/**
 * An openapi-fetch middleware that checks every response against the document: its status is
 * declared for the operation, and its body is valid against the schema of its media type.
 */
function conformsToDocument(document: Document, unexpected: string[]): Middleware {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'openapi' });
  const validators = new Map<string, ValidateFunction>();
  return {
    async onResponse({ request, response, schemaPath }) {
      const route = `${request.method} ${schemaPath}`;
      const declared = document.paths[schemaPath]?.[request.method.toLowerCase()]?.responses[String(response.status)];
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0];
      const schema = declared?.content?.[mediaType]?.schema;
      if (!schema) {
        unexpected.push(`${route} ${response.status} ${mediaType}: not in the document`);
        return undefined;
      }
      const key = JSON.stringify(schema);
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(rebase(schema));
        validators.set(key, validate);
      }
      if (!validate(await response.clone().json())) {
        unexpected.push(`${route} ${response.status}: ${ajv.errorsText(validate.errors)}`);
      }
      return undefined;
    },
  };
}

/** A schema from the document, its local `$ref`s pointing into the document added to Ajv as `openapi`. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"openapi#/')) as object;
}
