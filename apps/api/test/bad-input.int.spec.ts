import { randomUUID } from 'node:crypto';
import type { Role } from '@harbour/security';
import { startApi, type ApiHarness, type ApiResponse, type RequestOptions } from './support/api-harness';
import { PANEL_ID, assessment, convening, decision, listing, referral, when } from './support/pilot-path';
import { nestRoutes, servedRoutes } from './support/routes';

/**
 * Every command endpoint, fed every kind of bad input: each is refused with the right 4xx as
 * problem details naming the field, never a 5xx, never a stack trace. The cases are generated from
 * ENDPOINTS (one row per command route, with a valid body and the paths of its fields); a route
 * the app serves without a row fails the first test.
 */

type Body = Record<string, unknown>;
/** The state of the case a command is aimed at, so an input that slips through meets real rules. */
type CaseState = 'referred' | 'assessed' | 'listed' | 'convened' | 'decided';

interface Endpoint {
  readonly role: Role;
  /** The case the command is aimed at; absent for commands that create their stream. */
  readonly on?: CaseState;
  readonly valid: () => Body;
  /** Dotted paths into `valid()`, by kind; array items as `members.0`. */
  readonly strings?: readonly string[];
  readonly booleans?: readonly string[];
  readonly arrays?: readonly string[];
  readonly objects?: readonly string[];
  /** Nested objects that get an unknown property and `__proto__`/`constructor` keys. */
  readonly nested?: readonly string[];
  readonly required?: readonly string[];
  /** Free text: too long, markup. */
  readonly texts?: readonly string[];
  /** Date-times (`2015-10-20T10:00:00Z`). */
  readonly instants?: readonly string[];
  /** Calendar dates (`1990-01-01`). */
  readonly dates?: readonly string[];
}

const dtn = (): Body => ({
  region: 'south-west',
  policeForceArea: 'dorset',
  ageGroup: 'adult',
  gender: 'male',
  nationality: 'VNM',
  exploitationTypes: ['criminal'],
  exploitationLocation: 'uk',
  reportingAgency: 'Dorset Police',
  firstResponderType: 'police',
  refusalReason: 'fear-of-exploiters',
});

const ENDPOINTS: Record<string, Endpoint> = {
  'POST /cases': {
    role: 'lead',
    valid: () =>
      referral({
        subject: {
          ...(referral().subject as Body),
          aliases: ['Alias One'],
          contact: { phone: '07700 900000', postalAddress: '1 Example Road', safeToEmail: false, safeToPost: true },
        },
      }),
    strings: ['account', 'referringAgency', 'subject.name', 'subject.aliases.0', 'subject.contact.postalAddress'],
    booleans: ['consent.given', 'subject.interpreterNeeded', 'subject.contact.safeToPost'],
    arrays: ['exploitationTypes', 'subject.aliases'],
    objects: ['subject', 'consent', 'subject.contact'],
    nested: ['subject', 'subject.contact', 'consent'],
    required: ['account', 'region', 'subject', 'consent', 'subject.name', 'subject.contact', 'consent.given'],
    texts: ['account', 'referringAgency', 'subject.name', 'subject.aliases.0', 'subject.contact.postalAddress'],
    instants: ['consent.recordedAt'],
    dates: ['subject.dateOfBirth'],
  },
  // A first responder's referral: the lead's, less the organisation and its type (the token's).
  'POST /referral-submissions': {
    role: 'first-responder',
    valid: () => {
      const {
        referringAgency: _agency,
        firstResponderType: _type,
        ...body
      } = referral({
        subject: {
          ...(referral().subject as Body),
          aliases: ['Alias One'],
          contact: { phone: '07700 900000', postalAddress: '1 Example Road', safeToEmail: false, safeToPost: true },
        },
      });
      return body;
    },
    strings: ['account', 'subject.name', 'subject.aliases.0', 'subject.contact.postalAddress'],
    booleans: ['consent.given', 'subject.interpreterNeeded', 'subject.contact.safeToPost'],
    arrays: ['exploitationTypes', 'subject.aliases'],
    objects: ['subject', 'consent', 'subject.contact'],
    nested: ['subject', 'subject.contact', 'consent'],
    required: ['account', 'region', 'subject', 'consent', 'subject.name', 'subject.contact', 'consent.given'],
    texts: ['account', 'subject.name', 'subject.aliases.0', 'subject.contact.postalAddress'],
    instants: ['consent.recordedAt'],
    dates: ['subject.dateOfBirth'],
  },
  'POST /referral-submissions/:submissionId/acceptance': {
    role: 'lead',
    valid: () => ({}),
  },
  'POST /referral-submissions/:submissionId/return': {
    role: 'lead',
    valid: () => ({ reason: 'No signed consent form is attached.' }),
    strings: ['reason'],
    required: ['reason'],
    texts: ['reason'],
  },
  'POST /cases/:caseId/immediate-support': {
    role: 'lead',
    on: 'referred',
    valid: () => ({ kinds: ['accommodation', 'medical'], provider: 'The Salvation Army', notes: 'Safe house.' }),
    strings: ['provider', 'notes'],
    arrays: ['kinds'],
    required: ['kinds', 'provider'],
    texts: ['provider', 'notes'],
  },
  'POST /cases/:caseId/lead-assessment': {
    role: 'lead',
    on: 'referred',
    valid: () => assessment('positive'),
    strings: ['outcome', 'rationale'],
    required: ['outcome', 'rationale'],
    texts: ['rationale'],
  },
  'POST /cases/:caseId/reasonable-grounds-decision': {
    role: 'competent-authority',
    // A pilot case: a body that slips past validation meets command-not-allowed-in-state, not a 2xx.
    on: 'referred',
    valid: () => ({ outcome: 'positive', rationale: 'Reasonable grounds to believe the person is a victim.' }),
    strings: ['outcome', 'rationale'],
    required: ['outcome', 'rationale'],
    texts: ['rationale'],
  },
  'POST /cases/:caseId/panel-listing': {
    role: 'case-manager',
    on: 'assessed',
    valid: () => listing({ urgencyReason: 'Subject leaving the country' }),
    strings: ['panelId', 'meetingId', 'urgencyReason'],
    booleans: ['urgent'],
    required: ['panelId', 'meetingId', 'meetingAt', 'urgent'],
    texts: ['urgencyReason'],
    instants: ['meetingAt'],
  },
  'POST /cases/:caseId/panel-convening': {
    role: 'panel-chair',
    on: 'listed',
    valid: () => convening(),
    strings: ['meetingId', 'members.0.memberId', 'members.0.agency'],
    booleans: ['chairDeclaredConflict', 'members.0.conflictDeclared'],
    arrays: ['members'],
    objects: ['members.0'],
    nested: ['members.0'],
    required: ['meetingId', 'chairDeclaredConflict', 'members', 'members.0.memberId', 'members.0.discipline'],
    texts: ['members.0.agency'],
  },
  'POST /cases/:caseId/decisions': {
    role: 'panel-chair',
    on: 'convened',
    valid: () => ({ ...decision('positive'), dissent: [{ memberId: 'm-ukvi', reason: 'Travel records differ.' }] }),
    strings: ['outcome', 'rationale', 'votes.0.memberId', 'dissent.0.reason'],
    arrays: ['evidenceReliedOn', 'votes', 'dissent'],
    objects: ['votes.0', 'dissent.0'],
    nested: ['votes.0', 'dissent.0'],
    required: ['outcome', 'rationale', 'evidenceReliedOn', 'votes', 'dissent', 'votes.0.vote', 'dissent.0.reason'],
    texts: ['rationale', 'dissent.0.reason'],
  },
  'POST /cases/:caseId/second-review': {
    role: 'case-manager',
    on: 'decided',
    valid: () => ({ outcome: 'upheld', rationale: 'The decision weighed the evidence fairly.' }),
    strings: ['outcome', 'rationale'],
    required: ['outcome', 'rationale'],
    texts: ['rationale'],
  },
  'POST /cases/:caseId/reconsideration-requests': {
    role: 'lead',
    on: 'decided',
    valid: () => ({ requestedBy: 'first-responder', grounds: 'New medical evidence supports the account.' }),
    strings: ['requestedBy', 'grounds'],
    required: ['requestedBy', 'grounds'],
    texts: ['grounds'],
  },
  'POST /cases/:caseId/information-requests': {
    role: 'case-manager',
    on: 'referred',
    valid: () => ({ requestedFrom: 'Dorset Police', details: 'Crime report.', dueBy: '2015-11-15T17:00:00.000Z' }),
    strings: ['requestedFrom', 'details'],
    required: ['requestedFrom', 'details'],
    texts: ['requestedFrom', 'details'],
    instants: ['dueBy'],
  },
  'POST /cases/:caseId/information-responses': {
    role: 'case-manager',
    on: 'referred',
    valid: () => ({ requestId: '0d6f3a52-7c1e-4b8f-9a2d-5e4c3b2a1f00', summary: 'Crime report received.' }),
    strings: ['requestId', 'summary'],
    required: ['requestId', 'summary'],
    texts: ['summary'],
  },
  'POST /cases/:caseId/evidence': {
    role: 'lead',
    on: 'referred',
    valid: () => ({ kind: 'police-report', description: 'Crime report 55/12345/15' }),
    strings: ['kind', 'description'],
    required: ['kind', 'description'],
    texts: ['description'],
  },
  'POST /cases/:caseId/suspension': {
    role: 'case-manager',
    on: 'referred',
    valid: () => ({ reason: 'subject-missing', details: 'Missing person report filed.' }),
    strings: ['reason', 'details'],
    required: ['reason'],
    texts: ['details'],
  },
  'POST /cases/:caseId/resumption': {
    role: 'case-manager',
    on: 'referred',
    valid: () => ({}),
  },
  'POST /cases/:caseId/withdrawal': {
    role: 'lead',
    on: 'referred',
    valid: () => ({ basis: 'written-request', notes: 'Written request received.' }),
    strings: ['basis', 'notes'],
    required: ['basis'],
    texts: ['notes'],
  },
  'POST /cases/:caseId/closure': {
    role: 'case-manager',
    on: 'decided',
    valid: () => ({ notes: 'Move-on support arranged.' }),
    strings: ['notes'],
    texts: ['notes'],
  },
  'POST /duty-to-notify-reports': {
    role: 'lead',
    valid: dtn,
    strings: ['reportingAgency', 'nationality', 'region'],
    arrays: ['exploitationTypes'],
    required: ['region', 'ageGroup', 'exploitationTypes', 'reportingAgency', 'refusalReason'],
    texts: ['reportingAgency'],
  },
  'POST /cases/:caseId/legal-hold': {
    role: 'admin',
    on: 'referred',
    valid: () => ({ reason: 'Civil claim 2024/117: preserve until judgment.' }),
    strings: ['reason'],
    required: ['reason'],
    texts: ['reason'],
  },
  'POST /cases/:caseId/legal-hold/release': {
    role: 'admin',
    on: 'assessed',
    valid: () => ({ reason: 'Judgment given.' }),
    strings: ['reason'],
    required: ['reason'],
    texts: ['reason'],
  },
  'POST /meetings': {
    role: 'case-manager',
    valid: () => ({
      meetingId: randomUUID(),
      panelId: 'south-west-panel',
      meetingAt: '2016-01-20T10:00:00Z',
      venue: { kind: 'remote', details: 'https://meet.example/sw' },
      chairId: 'chair-1',
      members: [{ memberId: 'm-police', organisationId: 'dorset-police', discipline: 'police' }],
    }),
    strings: ['meetingId', 'panelId', 'chairId', 'venue.details', 'members.0.memberId', 'members.0.organisationId'],
    arrays: ['members'],
    objects: ['venue'],
    nested: ['venue'],
    required: ['meetingId', 'panelId', 'meetingAt', 'venue', 'chairId', 'members'],
    texts: ['venue.details'],
    instants: ['meetingAt'],
  },
  'POST /meetings/:meetingId/agenda': {
    role: 'case-manager',
    valid: () => ({ caseId: randomUUID() }),
    strings: ['caseId'],
    required: ['caseId'],
  },
  'POST /meetings/:meetingId/agenda/:caseId/removal': {
    role: 'case-manager',
    valid: () => ({ reason: 'Listed in error' }),
    strings: ['reason'],
    required: ['reason'],
    texts: ['reason'],
  },
  'POST /meetings/:meetingId/packs': {
    role: 'case-manager',
    valid: () => ({ caseId: randomUUID() }),
    strings: ['caseId'],
    required: ['caseId'],
  },
  'POST /meetings/:meetingId/attendance': {
    role: 'panel-chair',
    valid: () => ({ attendees: [{ memberId: 'm-police', conflicts: [] }] }),
    strings: ['attendees.0.memberId'],
    arrays: ['attendees', 'attendees.0.conflicts'],
    required: ['attendees'],
  },
  'POST /meetings/:meetingId/outcomes': {
    role: 'panel-chair',
    valid: () => ({ caseId: randomUUID(), outcome: 'deferred', votes: [], reason: 'Awaiting information' }),
    strings: ['caseId', 'outcome', 'reason'],
    arrays: ['votes'],
    required: ['caseId', 'outcome', 'votes'],
    texts: ['reason'],
  },
  'POST /meetings/:meetingId/minutes': {
    role: 'panel-chair',
    valid: () => ({ minutes: 'Case deferred.' }),
    strings: ['minutes'],
    required: ['minutes'],
    texts: ['minutes'],
  },
  'POST /panels': {
    role: 'admin',
    valid: () => ({ panelId: `panel-${randomUUID().slice(0, 8)}`, name: 'London regional panel', region: 'london' }),
    strings: ['panelId', 'name', 'region'],
    required: ['panelId', 'name', 'region'],
    texts: ['name'],
  },
  'POST /subjects/:subjectId/erasure': {
    role: 'admin',
    valid: () => ({ reason: 'Erasure request ER-2024-0042.' }),
    strings: ['reason'],
    required: ['reason'],
    texts: ['reason'],
  },
};

/** The id a route's path names (`:caseId`, `:subjectId`), if any. */
function idParamOf(key: string): string | undefined {
  return /:(caseId|subjectId|meetingId|submissionId)\b/.exec(key)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** What to send: a body (serialised by the harness) or raw text, headers, another case id. */
interface Attempt extends RequestOptions {
  readonly caseId?: string;
}

/**
 * What must come back. `field`: the 400's `errors` must name it (an array item may be named by its
 * array, as class-validator reports `each` rules there). `accepted`: not refused for its shape.
 */
type Outcome = { readonly status: 400 | 413 | 415; readonly field?: string } | { readonly accepted: true };

interface BadInput {
  readonly name: string;
  readonly attempt: (valid: Body) => Attempt;
  readonly outcome: Outcome;
  /** Text that must not come back in the response. */
  readonly notEchoed?: string;
}

const MEBIBYTE = 1024 * 1024;
/** Refused while the body is read, before validation: no field need be named. */
const UNREADABLE = { status: 400 } as const;
const UNSUPPORTED = { status: 415 } as const;
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'];
const BAD_INSTANTS = ['2015-13-45', 'yesterday', '2015-02-30T10:00:00Z', '2015-09-01', 20150901];
const BAD_DATES = ['2015-13-45', 'yesterday', '2015-02-30', '2015-02-30T10:00:00Z'];
const NOT_UUIDS = ['not-a-uuid', '123', 'a23cd9ff-e13d-8231-a292-ed62c21bea9', '..%2F..%2Fetc%2Fpasswd'];

function segments(path: string): string[] {
  return path.split('.');
}

function get(body: unknown, path: string): unknown {
  if (path === '') return body;
  return segments(path).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
}

/** A copy of `body` with `path` set to `value` (`undefined` deletes it). */
function set(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const keys = segments(path);
  const parent = get(copy, keys.slice(0, -1).join('.')) as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    // defineProperty, so `__proto__` becomes an own key that JSON.stringify writes out.
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function withKey(body: Body, parentPath: string, key: string, value: unknown): Body {
  return set(body, parentPath ? `${parentPath}.${key}` : key, value);
}

/** `body` as JSON text with one more top-level property whose value is `raw` JSON text. */
function withRaw(body: Body, key: string, raw: string): string {
  const json = JSON.stringify(body);
  return `${json.slice(0, -1)}${json === '{}' ? '' : ','}${JSON.stringify(key)}:${raw}}`;
}

function badInputs(endpoint: Endpoint, idParam: string | undefined): BadInput[] {
  const cases: BadInput[] = [];
  const add = (name: string, attempt: BadInput['attempt'], outcome: Outcome, notEchoed?: string) =>
    cases.push({ name, attempt, outcome, notEchoed });
  const shape = (field: string) => ({ status: 400, field }) as const;

  // Wrong types.
  for (const path of endpoint.strings ?? [])
    add(`a number for the string ${path}`, (v) => ({ body: set(v, path, 42) }), shape(path));
  for (const path of endpoint.booleans ?? [])
    add(`a string for the boolean ${path}`, (v) => ({ body: set(v, path, 'true') }), shape(path));
  for (const path of endpoint.arrays ?? [])
    add(
      `an object for the array ${path}`,
      (v) => ({ body: set(v, path, { 0: get(v, `${path}.0`) ?? 'x' }) }),
      shape(path),
    );
  for (const path of endpoint.objects ?? [])
    add(`an array for the object ${path}`, (v) => ({ body: set(v, path, [get(v, path)]) }), shape(path));
  for (const path of endpoint.objects ?? [])
    add(`a string for the object ${path}`, (v) => ({ body: set(v, path, 'object') }), shape(path));

  // Unknown fields, prototype keys, missing fields.
  add('an unknown top-level field', (v) => ({ body: { ...v, unexpected: 'x' } }), shape('unexpected'));
  for (const path of endpoint.nested ?? [])
    add(
      `an unknown field in ${path}`,
      (v) => ({ body: withKey(v, path, 'unexpected', 'x') }),
      shape(`${path}.unexpected`),
    );
  for (const parent of ['', ...(endpoint.nested ?? [])]) {
    for (const key of ['__proto__', 'constructor']) {
      const field = parent ? `${parent}.${key}` : key;
      add(
        `a ${key} key ${parent ? `in ${parent}` : 'at the top'}`,
        (v) => ({ body: withKey(v, parent, key, { polluted: true }) }),
        shape(field),
      );
    }
  }
  add('a constructor key holding a string', (v) => ({ body: { ...v, constructor: 'x' } }), shape('constructor'));
  for (const path of endpoint.required ?? [])
    add(`no ${path}`, (v) => ({ body: set(v, path, undefined) }), shape(path));
  for (const path of endpoint.required ?? [])
    add(`null for ${path}`, (v) => ({ body: set(v, path, null) }), shape(path));

  // Oversized and hostile text.
  for (const path of endpoint.texts ?? []) {
    add(`a 1 MB string in ${path}`, (v) => ({ body: set(v, path, 'a'.repeat(MEBIBYTE)) }), shape(path));
    for (const markup of MARKUP)
      add(
        `${markup} in ${path}`,
        (v) => ({ body: set(v, path, `Seen at ${markup} the car wash`) }),
        shape(path),
        markup,
      );
  }

  // Dates that are not.
  for (const path of endpoint.instants ?? [])
    for (const value of BAD_INSTANTS)
      add(`${JSON.stringify(value)} for ${path}`, (v) => ({ body: set(v, path, value) }), shape(path));
  for (const path of endpoint.dates ?? [])
    for (const value of BAD_DATES)
      add(`${JSON.stringify(value)} for ${path}`, (v) => ({ body: set(v, path, value) }), shape(path));

  // Bodies that are not a JSON object.
  add('an array for the body', (v) => ({ body: [v] }), shape('(body)'));
  add('a string for the body', () => ({ body: 'referral' }), shape('(body)'));
  add('null for the body', () => ({ rawBody: 'null' }), shape('(body)'));
  add('malformed JSON', () => ({ rawBody: '{"a":' }), UNREADABLE);
  add('JSON followed by garbage', (v) => ({ rawBody: `${JSON.stringify(v)} trailing` }), UNREADABLE);
  add('an empty body with a JSON content type', () => ({ rawBody: '' }), UNREADABLE);
  add(
    'a body nested 100 000 levels deep',
    (v) => ({ rawBody: withRaw(v, 'deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`) }),
    UNREADABLE,
  );
  const firstRequired = endpoint.required?.find((path) => !path.includes('.'));
  add('no body at all', () => ({}), firstRequired ? shape(firstRequired) : { accepted: true });
  add('an empty JSON object', () => ({ body: {} }), firstRequired ? shape(firstRequired) : { accepted: true });

  // Bodies that are not JSON, or too big to read.
  const typed = (contentType: string, rawBody: string): Attempt => ({
    rawBody,
    headers: { 'content-type': contentType },
  });
  add('text/plain', (v) => typed('text/plain', JSON.stringify(v)), UNSUPPORTED);
  add('a form', () => typed('application/x-www-form-urlencoded', 'outcome=positive'), UNSUPPORTED);
  add('XML', () => typed('application/xml', '<referral/>'), UNSUPPORTED);
  add('JSON said to be UTF-16', (v) => typed('application/json; charset=utf-16', JSON.stringify(v)), UNSUPPORTED);
  add('a body over the 2 MiB limit', (v) => ({ rawBody: withRaw(v, 'padding', `"${'a'.repeat(3 * MEBIBYTE)}"`) }), {
    status: 413,
  });

  // The path and the headers, with an otherwise valid body.
  if (idParam) {
    for (const id of NOT_UUIDS) add(`the ${idParam} ${id}`, (v) => ({ body: v, caseId: id }), shape(idParam));
  }
  add('If-Match: abc', (v) => ({ body: v, headers: { 'if-match': 'abc' } }), shape('If-Match'));
  add('If-Match: "-1"', (v) => ({ body: v, headers: { 'if-match': '"-1"' } }), shape('If-Match'));
  add(
    'a 201-character Idempotency-Key',
    (v) => ({ body: v, headers: { 'idempotency-key': 'k'.repeat(201) } }),
    shape('Idempotency-Key'),
  );
  add(
    'an Idempotency-Key with a tab in it',
    (v) => ({ body: v, headers: { 'idempotency-key': 'key\tkey' } }),
    shape('Idempotency-Key'),
  );
  add(
    'an Idempotency-Key with a non-ASCII byte',
    (v) => ({ body: v, headers: { 'idempotency-key': 'cl\u00e9' } }),
    shape('Idempotency-Key'),
  );
  for (const at of ['2016-01-01T00:00:00Z', 'yesterday', '2015-02-30T10:00:00Z', '2015-09-01', '1441098000'])
    add(`X-Occurred-At: ${at}`, (v) => ({ body: v, headers: { 'x-occurred-at': at } }), shape('X-Occurred-At'));
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** A stack frame (`at fn (/path:1:2)`, `at /path`, `at node:internal`) or an internal path. */
const LEAKS = [/\/work\//, /node_modules/, /\bat (?:async )?[\w$.<>[\] ]*\(?(?:\/|file:|node:)/, /\w+\.[jt]s:\d+/];

function expectNoLeak(response: ApiResponse, notEchoed?: string) {
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
  // A refusal says what is wrong, not what was sent: no 1 MB echo, no markup reflected.
  expect(text.length).toBeLessThan(16 * 1024);
  if (notEchoed) expect(text).not.toContain(notEchoed);
}

function expectRefusal(response: ApiResponse, outcome: { status: number; field?: string }) {
  const summary = { status: response.status, body: response.body };
  expect(summary).toMatchObject({ status: outcome.status, body: { status: outcome.status } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
  if (outcome.field !== undefined) {
    const errors = response.body.errors as Array<{ field: string; messages: string[] }>;
    expect(Array.isArray(errors)).toBe(true);
    for (const error of errors) expect(error).toEqual({ field: expect.any(String), messages: expect.any(Array) });
    // An item of an array may be named by the array: class-validator reports `each` rules there.
    const names = [outcome.field, outcome.field.replace(/\.\d+$/, '')];
    const named = errors.map((e) => e.field);
    const hit = names.find((name) => named.includes(name)) ?? outcome.field;
    expect({ named }).toEqual({ named: expect.arrayContaining([hit]) });
    expect(errors.find((e) => e.field === hit)!.messages.length).toBeGreaterThan(0);
  }
}

// ---------------------------------------------------------------------------------------------

describe('bad input to every command', () => {
  let api: ApiHarness;
  const tokens = new Map<Role, string>();
  const cases = new Map<CaseState, string>();

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    // The lead works for a force: only a notifying authority may file a Duty to Notify report.
    tokens.set('lead', await api.token('lead', { agency: 'dorset-police' }));
    tokens.set('case-manager', await api.token('case-manager'));
    tokens.set('panel-chair', await api.token('panel-chair', { panels: [PANEL_ID] }));
    tokens.set('competent-authority', await api.token('competent-authority'));
    tokens.set('admin', await api.token('admin'));
    tokens.set('first-responder', await api.token('first-responder', { agency: 'dorset-police' }));

    const step = async (role: Role, path: string, body: Body, at: string, expected = 200) => {
      const response = await api.request('POST', path, {
        token: tokens.get(role),
        body,
        headers: { 'x-occurred-at': at },
      });
      expect({ path, status: response.status, body: response.body }).toMatchObject({ status: expected });
      return response;
    };
    // One case in each state a command of the table is aimed at.
    const states: CaseState[] = ['referred', 'assessed', 'listed', 'convened', 'decided'];
    for (const [index, state] of states.entries()) {
      const raised = await step('lead', '/cases', referral(), when.raised, 201);
      const caseId = String(raised.body.caseId);
      cases.set(state, caseId);
      if (index >= 1) await step('lead', `/cases/${caseId}/lead-assessment`, assessment(), when.assessed);
      if (index >= 2) await step('case-manager', `/cases/${caseId}/panel-listing`, listing(), when.listed);
      if (index >= 3) await step('panel-chair', `/cases/${caseId}/panel-convening`, convening(), when.meeting);
      if (index >= 4) await step('panel-chair', `/cases/${caseId}/decisions`, decision('negative'), when.decided);
    }
  });
  afterAll(() => api.close());

  function send(key: string, endpoint: Endpoint, attempt: Attempt): Promise<ApiResponse> {
    const [method, pattern] = key.split(' ');
    const idParam = idParamOf(key);
    // A route on an id but no case state (a subject) gets an unknown id: 404 once past validation.
    const caseId = attempt.caseId ?? (endpoint.on ? cases.get(endpoint.on)! : idParam ? randomUUID() : undefined);
    // A second id in the path (a case on a meeting's agenda) is one nobody knows.
    const path = (caseId === undefined || !idParam ? pattern : pattern.replace(`:${idParam}`, caseId)).replace(
      /:caseId\b/,
      randomUUID(),
    );
    return api.request(method, path, { ...attempt, token: tokens.get(endpoint.role) });
  }

  it('has a row for every command route the app serves, and no other', () => {
    const table = Object.keys(ENDPOINTS).sort();
    expect(
      nestRoutes(api.app)
        .filter((route) => route.method === 'POST')
        .map((route) => route.key)
        .sort(),
    ).toEqual(table);
    expect(
      servedRoutes(api.app)
        .filter((route) => route.method === 'POST')
        .map((route) => `POST ${route.path}`)
        .sort(),
    ).toEqual(table);
  });

  describe.each(Object.entries(ENDPOINTS))('%s', (key, endpoint) => {
    const hasCaseId = idParamOf(key) !== undefined;

    it('accepts the valid body of the table (so each refusal below is for the one change made)', async () => {
      const response = await send(key, endpoint, {
        body: endpoint.valid(),
        caseId: hasCaseId ? randomUUID() : undefined,
      });
      // Past validation: a random case id is not found; a new referral or report is created.
      expect({ status: response.status, body: response.body }).toMatchObject({ status: hasCaseId ? 404 : 201 });
    });

    it.each(badInputs(endpoint, idParamOf(key)).map((input) => [input.name, input] as const))(
      'refuses %s',
      async (_name, input) => {
        const response = await send(key, endpoint, input.attempt(endpoint.valid()));
        expect(response.status).toBeLessThan(500);
        expectNoLeak(response, input.notEchoed);
        if ('accepted' in input.outcome) {
          expect({ status: response.status, body: response.body }).not.toMatchObject({ status: 400 });
        } else {
          expectRefusal(response, input.outcome);
        }
      },
    );
  });

  it('is still up and serving after all of it, with no prototype polluted', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const lead = tokens.get('lead');
    const read = await api.request('GET', `/cases/${cases.get('referred')}`, { token: lead });
    expect({ status: read.status, body: read.body }).toMatchObject({ status: 200, body: { status: 'referred' } });
    expect(read.body).not.toHaveProperty('polluted');
    const raised = await api.request('POST', '/cases', { token: lead, body: referral() });
    expect(raised.status).toBe(201);
  });
});
