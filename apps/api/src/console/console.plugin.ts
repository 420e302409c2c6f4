import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import nunjucks from 'nunjucks';
import { CASE_STATUSES, REGIONS } from '@harbour/domain';
import { actorFromClaims, mintDevelopmentToken, type SecurityConfig } from '@harbour/security';
import type { ConsoleConfig, ConsoleOidcConfig } from './console.config';
import { ConsoleSessions, csrfMatches, type ConsoleSession } from './console-session';
import { bodyFrom, formFields, labelOf, parseForm, type FormField, type Schema } from './command-form';
import { OidcClient } from './oidc-client';

export interface ConsolePluginOptions {
  readonly config: ConsoleConfig;
  readonly security: SecurityConfig;
  /** Wall-clock milliseconds, for session expiry (tests move it). */
  readonly now?: () => number;
}

const SESSION_COOKIE = 'harbour_console';
const SIGN_IN_COOKIE = 'harbour_console_sign_in';
const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const FORM_LIMIT_BYTES = 256 * 1024;

/** A response from the JSON API, called in-process exactly as a client would call it. */
interface ApiAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: Record<string, unknown>;
}

type Page = Record<string, unknown>;

/**
 * The Harbour Console: server-rendered GOV.UK Design System pages under `/console`.
 *
 * Every read and every command goes through the JSON API itself (Fastify's in-process `inject`),
 * as the signed-in person, so the console has no path of its own to the store: the same guards,
 * region and panel scoping, validation, rules, idempotency, concurrency checks and read-access
 * log apply, and a page can show nothing the person could not fetch with curl.
 */
export async function consolePlugin(instance: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const { config, security } = options;
  const oidcConfig = config.oidc as ConsoleOidcConfig;
  const now = options.now ?? Date.now;
  const sessions = new ConsoleSessions(config.idleTimeoutSeconds * 1000, config.absoluteTimeoutSeconds * 1000, now);
  const views = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([join(__dirname, 'views'), join(GOVUK_DIST, '..')], { noCache: false }),
    { autoescape: true },
  );
  views.addFilter('label', (key: string) => labelOf(key));
  views.addFilter('errorList', (errors: { field: string; text: string }[]) =>
    errors.map((error) => ({
      text: error.text,
      ...(error.field ? { href: `#${error.field.replace(/\./g, '-')}` } : {}),
    })),
  );
  views.addFilter('selectItems', (options: string[], value: string) => [
    { value: '', text: 'Choose' },
    ...options.map((option) => ({ value: option, text: option, selected: option === value })),
  ]);
  views.addFilter('checkItems', (options: string[], values: string[] | undefined) =>
    options.map((option) => ({ value: option, text: option, checked: (values ?? []).includes(option) })),
  );
  const choices = (options: readonly string[], all: string) => (selected: string | undefined) => [
    { value: '', text: all },
    ...options.map((option) => ({ value: option, text: labelOf(option), selected: option === selected })),
  ];
  views.addGlobal('regionItems', choices(REGIONS, 'All regions you can see'));
  views.addGlobal('statusItems', choices(CASE_STATUSES, 'Any status'));
  views.addFilter('when', (iso: unknown) => (typeof iso === 'string' ? formatInstant(iso) : ''));
  let publicBase: string | undefined = config.publicUrl;
  const base = (): string => {
    if (publicBase) return publicBase;
    const address = instance.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const host = typeof address === 'object' && address ? address.address : '127.0.0.1';
    publicBase = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return publicBase;
  };
  const oidc = new OidcClient(
    oidcConfig,
    () => `${base()}/console/auth/callback`,
    () => `${base()}/console/signed-out`,
  );
  const providerOrigin = new URL(oidcConfig.issuer).origin;

  // Forms arrive url-encoded; only here: the JSON API keeps accepting JSON alone.
  instance.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
    (_request, body, done) => done(null, parseForm(body as string)),
  );

  await instance.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1h',
  });
  const staticFiles: Record<string, { type: string; body: Buffer }> = {
    'govuk-frontend.min.css': { type: 'text/css', body: readFileSync(join(GOVUK_DIST, 'govuk-frontend.min.css')) },
    'govuk-frontend.min.js': {
      type: 'text/javascript',
      body: readFileSync(join(GOVUK_DIST, 'govuk-frontend.min.js')),
    },
    'console.mjs': { type: 'text/javascript', body: readFileSync(join(__dirname, 'views', 'console.mjs')) },
    'console.css': { type: 'text/css', body: readFileSync(join(__dirname, 'views', 'console.css')) },
  };
  instance.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const file = Object.hasOwn(staticFiles, request.params.file) ? staticFiles[request.params.file] : undefined;
    if (!file) return notFound(reply, undefined);
    return reply.header('Cache-Control', 'public, max-age=3600').type(file.type).send(file.body);
  });

  // ---- rendering -------------------------------------------------------------------------------

  function render(reply: FastifyReply, template: string, page: Page, status = 200): FastifyReply {
    const nonce = randomBytes(16).toString('base64');
    const html = views.render(template, { ...page, cspNonce: nonce, assetPath: '/console/assets' });
    return reply
      .status(status)
      .header('Content-Security-Policy', contentSecurityPolicy(nonce, providerOrigin))
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  function notFound(reply: FastifyReply, session: ConsoleSession | undefined): FastifyReply {
    return render(reply, 'not-found.njk', { session: sessionView(session) }, 404);
  }

  instance.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'console page failed');
    return render(
      reply,
      'problem.njk',
      {
        title: status === 500 ? 'Sorry, there is a problem with the service' : 'There is a problem with the request',
        status,
      },
      status,
    );
  });

  // ---- sessions --------------------------------------------------------------------------------

  function cookie(name: string, value: string, maxAgeSeconds: number): string {
    const attributes = [`${name}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (config.secureCookies) attributes.push('Secure');
    return attributes.join('; ');
  }

  function sessionOf(request: FastifyRequest): ConsoleSession | undefined {
    return sessions.find(cookiesOf(request)[SESSION_COOKIE]);
  }

  /** The signed-in person, or a redirect to sign in (back to this page afterwards). */
  function requireSession(request: FastifyRequest, reply: FastifyReply): ConsoleSession | undefined {
    const session = sessionOf(request);
    if (session) return session;
    const returnTo = request.method === 'GET' ? request.url : '/console';
    void reply.redirect(`/console/sign-in?returnTo=${encodeURIComponent(returnTo)}`, 303);
    return undefined;
  }

  /** A form post: signed in, and carrying this session's CSRF token; else refused, nothing done. */
  function requirePost(
    request: FastifyRequest,
    reply: FastifyReply,
  ): { session: ConsoleSession; form: Map<string, string[]> } | undefined {
    const form = request.body instanceof Map ? (request.body as Map<string, string[]>) : undefined;
    const session = sessionOf(request);
    if (!session || !form || !csrfMatches(session, form.get('_csrf')?.[0])) {
      void render(
        reply,
        'problem.njk',
        {
          session: sessionView(session),
          status: 403,
          title: 'This form could not be accepted',
          detail: session
            ? 'The form had expired or did not come from this console. Nothing was changed. Go back, reload the page and try again.'
            : 'You are signed out. Nothing was changed. Sign in and try again.',
        },
        403,
      );
      return undefined;
    }
    return { session, form };
  }

  function sessionView(session: ConsoleSession | undefined): Page | undefined {
    if (!session) return undefined;
    const { actor } = session;
    const role = actor.role;
    const navigation = [{ href: '/console', text: 'Home' }];
    if (role !== 'analyst') navigation.push({ href: '/console/cases', text: 'Cases' });
    if (role === 'lead') navigation.push({ href: '/console/referrals/new', text: 'Raise a referral' });
    if (['case-manager', 'panel-chair', 'panel-member', 'competent-authority', 'auditor', 'admin'].includes(role))
      navigation.push({ href: '/console/panels', text: 'Panel listings' });
    if (role === 'auditor' || role === 'admin') navigation.push({ href: '/console/access-log', text: 'Access log' });
    if (role === 'analyst') navigation.push({ href: '/console/statistics', text: 'Statistics' });
    return {
      navigation,
      name: session.name,
      userId: actor.userId,
      role: actor.role,
      region: actor.region,
      agency: actor.agency,
      csrfToken: session.csrfToken,
      canCommand: actor.role !== 'auditor' && actor.role !== 'analyst',
      readsCases: actor.role !== 'analyst',
      auditor: actor.role === 'auditor' || actor.role === 'admin',
      panels: actor.role === 'panel-chair' || actor.role === 'panel-member' || actor.role === 'case-manager',
      raises: actor.role === 'lead',
    };
  }

  // ---- the JSON API, in-process ----------------------------------------------------------------

  async function bearer(session: ConsoleSession): Promise<string> {
    // Embedded mode: the API trusts its own development secret, and the console, in the same
    // process, vouches for the person the provider signed in (for five minutes). Elsewhere the
    // API trusts the provider itself, and the provider's access token is forwarded.
    if (security.mode === 'embedded' && security.key.kind === 'secret') {
      const { actor } = session;
      return mintDevelopmentToken(
        {
          role: actor.role,
          region: actor.region,
          agency: actor.agency,
          userId: actor.userId,
          ...(actor.panels.length > 0 ? { panels: actor.panels } : {}),
          ttl: 300,
        },
        security,
      );
    }
    return session.accessToken;
  }

  async function api(
    session: ConsoleSession,
    method: 'GET' | 'POST',
    url: string,
    extra: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const response = await instance.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${await bearer(session)}`,
        ...(extra.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...extra.headers,
      },
      ...(extra.body !== undefined ? { payload: JSON.stringify(extra.body) } : {}),
    });
    let body: Record<string, unknown>;
    try {
      body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
    } catch {
      body = { raw: response.body };
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  let commandSchemas:
    { paths: Record<string, Record<string, unknown>>; components: Record<string, Schema> } | undefined;
  async function openApi(session: ConsoleSession) {
    if (!commandSchemas) {
      const answer = await api(session, 'GET', '/docs/json');
      const document = answer.body as {
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, Schema> };
      };
      commandSchemas = { paths: document.paths, components: document.components.schemas };
    }
    return commandSchemas;
  }

  async function formFor(session: ConsoleSession, path: string): Promise<FormField[]> {
    const { paths, components } = await openApi(session);
    const openApiPath = path.replace(':caseId', '{caseId}');
    const operation = paths[openApiPath]?.post as
      { requestBody?: { content?: Record<string, { schema?: Schema }> } } | undefined;
    const schema = operation?.requestBody?.content?.['application/json']?.schema;
    return schema ? formFields(schema, components) : [];
  }

  // ---- sign-in and sign-out --------------------------------------------------------------------

  instance.get<{ Querystring: { returnTo?: string } }>('/sign-in', async (request, reply) => {
    const returnTo = safeReturn(request.query.returnTo);
    const { url, codeVerifier, state, nonce } = await oidc.authorizationRequest();
    const id = sessions.startSignIn({ codeVerifier, state, nonce, returnTo });
    return reply.header('Set-Cookie', cookie(SIGN_IN_COOKIE, id, 600)).redirect(url, 303);
  });

  instance.get('/auth/callback', async (request, reply) => {
    const pending = sessions.takeSignIn(cookiesOf(request)[SIGN_IN_COOKIE]);
    if (!pending) {
      return render(
        reply,
        'problem.njk',
        {
          status: 400,
          title: 'Sign-in did not complete',
          detail: 'The sign-in had expired or was started elsewhere. Sign in again.',
          signInLink: true,
        },
        400,
      );
    }
    let claims: Record<string, unknown>;
    let tokens: { idToken: string; accessToken: string };
    try {
      ({ claims, ...tokens } = await oidc.complete(new URL(request.url, base()), pending));
    } catch (error) {
      request.log.warn({ error: (error as Error).message }, 'console sign-in refused');
      return render(
        reply,
        'problem.njk',
        {
          status: 400,
          title: 'Sign-in did not complete',
          detail: 'The identity provider’s answer could not be accepted. Sign in again.',
          signInLink: true,
        },
        400,
      );
    }
    const actor = actorFromClaims(claims);
    if (!actor.ok) {
      return render(
        reply,
        'problem.njk',
        {
          status: 403,
          title: 'You cannot use Harbour yet',
          detail: `Your account has no valid Harbour ${actor.claim}: ask your administrator.`,
        },
        403,
      );
    }
    const session = sessions.create({
      actor: actor.actor,
      name: typeof claims.name === 'string' ? claims.name : actor.actor.userId,
      ...tokens,
    });
    return reply
      .header('Set-Cookie', [
        cookie(SESSION_COOKIE, session.id, config.absoluteTimeoutSeconds),
        cookie(SIGN_IN_COOKIE, '', 0),
      ])
      .redirect(pending.returnTo, 303);
  });

  instance.post('/sign-out', async (request, reply) => {
    const post = requirePost(request, reply);
    if (!post) return reply;
    sessions.end(post.session.id);
    const url = await oidc.endSessionUrl(post.session.idToken);
    return reply.header('Set-Cookie', cookie(SESSION_COOKIE, '', 0)).redirect(url, 303);
  });

  instance.get('/signed-out', async (_request, reply) => render(reply, 'signed-out.njk', {}));

  // ---- pages -----------------------------------------------------------------------------------

  instance.get('/', async (request, reply) => {
    const session = sessionOf(request);
    if (!session) return render(reply, 'start.njk', {});
    return render(reply, 'home.njk', { session: sessionView(session) });
  });

  instance.get<{ Querystring: Record<string, string | undefined> }>('/cases', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.actor.role === 'analyst')
      return render(
        reply,
        'problem.njk',
        {
          session: sessionView(session),
          status: 403,
          title: 'Analysts see published statistics only',
          detail: 'Case-level data is not available to your role.',
        },
        403,
      );
    const query = request.query;
    if (query.caseId && query.caseId.trim() !== '')
      return reply.redirect(`/console/cases/${encodeURIComponent(query.caseId.trim())}`, 303);
    const params = new URLSearchParams();
    for (const key of ['region', 'status', 'overdue', 'cursor'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (query.raisedFrom) params.set('raisedFrom', dayStart(query.raisedFrom));
    if (query.raisedTo) params.set('raisedTo', dayStart(query.raisedTo));
    params.set('sort', 'next_deadline');
    params.set('direction', 'asc');
    params.set('limit', '50');
    const answer = await api(session, 'GET', `/cases?${params}`);
    const errors = answer.status === 400 ? fieldErrors(answer.body) : [];
    return render(
      reply,
      'cases.njk',
      {
        session: sessionView(session),
        query,
        cases: answer.status === 200 ? answer.body.items : [],
        nextCursor: answer.status === 200 ? answer.body.nextCursor : null,
        errors,
      },
      answer.status === 400 ? 400 : 200,
    );
  });

  instance.get<{ Params: { caseId: string } }>('/cases/:caseId', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    const caseId = request.params.caseId;
    // After a command, the page waits (bounded) for the read models to reach its write.
    const at = (request.query as Record<string, string | undefined>).at;
    const summary = await api(session, 'GET', `/cases/${encodeURIComponent(caseId)}`, {
      headers: at && /^\d{1,19}$/.test(at) ? { 'x-min-position': at } : {},
    });
    if (summary.status !== 200) return notFound(reply, session);
    const actions = await api(session, 'GET', `/cases/${encodeURIComponent(caseId)}/actions`);
    // The person's details live in the referral's event alone (encrypted at rest): its history
    // entry, decrypted for those who may read it, and logged like every history read.
    const referral = await api(session, 'GET', `/cases/${encodeURIComponent(caseId)}/history?limit=1`);
    const decisions = await api(session, 'GET', `/cases/${encodeURIComponent(caseId)}/decisions`);
    const view = sessionView(session)!;
    const actionList = view.canCommand && actions.status === 200 ? (actions.body.actions as { command: string }[]) : [];
    return render(reply, 'case.njk', {
      session: view,
      caseId,
      summary: summary.body,
      subject: subjectOf(referral),
      actions: actionList.map((action) => ({ ...action, label: labelOf(action.command) })),
      decisions: decisions.status === 200 ? (decisions.body.items ?? decisions.body) : [],
      done: (request.query as Record<string, string | undefined>).done,
    });
  });

  instance.get<{ Params: { caseId: string }; Querystring: { cursor?: string } }>(
    '/cases/:caseId/timeline',
    async (request, reply) => {
      const session = requireSession(request, reply);
      if (!session) return reply;
      const caseId = encodeURIComponent(request.params.caseId);
      const history = await api(
        session,
        'GET',
        `/cases/${caseId}/history${request.query.cursor ? `?cursor=${encodeURIComponent(request.query.cursor)}` : ''}`,
      );
      if (history.status !== 200) return notFound(reply, session);
      const verify = await api(session, 'GET', `/cases/${caseId}/verify`);
      return render(reply, 'timeline.njk', {
        session: sessionView(session),
        caseId: request.params.caseId,
        entries: history.body.items,
        nextCursor: history.body.nextCursor,
        verification: verify.status === 200 ? verify.body : undefined,
      });
    },
  );

  instance.get<{ Params: { caseId: string }; Querystring: { asOf?: string } }>(
    '/cases/:caseId/as-of',
    async (request, reply) => {
      const session = requireSession(request, reply);
      if (!session) return reply;
      const caseId = encodeURIComponent(request.params.caseId);
      const asOf = request.query.asOf?.trim();
      let state: Record<string, unknown> | undefined;
      const errors: { field: string; text: string }[] = [];
      if (asOf) {
        const answer = await api(
          session,
          'GET',
          `/cases/${caseId}/state?asOf=${encodeURIComponent(asOf.length === 10 ? `${asOf}T23:59:59.999Z` : asOf)}`,
        );
        if (answer.status === 200) state = answer.body;
        else if (answer.status === 404 && /did not exist at/.test(String(answer.body.detail))) {
          errors.push({ field: 'asOf', text: 'The case had not been recorded yet on that date' });
        } else if (answer.status !== 400) return notFound(reply, session);
        else errors.push({ field: 'asOf', text: String(answer.body.detail ?? 'Enter a date such as 2015-10-01') });
      }
      return render(
        reply,
        'as-of.njk',
        {
          session: sessionView(session),
          caseId: request.params.caseId,
          asOf,
          state,
          stateJson: state ? JSON.stringify(state, null, 2) : undefined,
          errors,
        },
        errors.length ? 400 : 200,
      );
    },
  );

  instance.get<{ Params: { caseId: string; decisionId: string } }>(
    '/cases/:caseId/decisions/:decisionId',
    async (request, reply) => {
      const session = requireSession(request, reply);
      if (!session) return reply;
      const answer = await api(
        session,
        'GET',
        `/cases/${encodeURIComponent(request.params.caseId)}/decisions/${encodeURIComponent(request.params.decisionId)}/explain`,
      );
      if (answer.status !== 200) return notFound(reply, session);
      return render(reply, 'explanation.njk', {
        session: sessionView(session),
        caseId: request.params.caseId,
        explanation: answer.body,
        explanationJson: JSON.stringify(answer.body, null, 2),
      });
    },
  );

  instance.get<{ Params: { caseId: string } }>('/cases/:caseId/export', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    const caseId = encodeURIComponent(request.params.caseId);
    const answer = await api(session, 'GET', `/cases/${caseId}/history?limit=1000`);
    if (answer.status !== 200) return notFound(reply, session);
    return reply
      .header(
        'Content-Disposition',
        `attachment; filename="case-${request.params.caseId.replace(/[^a-f0-9-]/gi, '')}-history.json"`,
      )
      .header('Cache-Control', 'no-store')
      .type('application/json')
      .send(JSON.stringify(answer.body, null, 2));
  });

  instance.get<{ Querystring: { caseId?: string; viewer?: string; from?: string; to?: string } }>(
    '/access-log',
    async (request, reply) => {
      const session = requireSession(request, reply);
      if (!session) return reply;
      const query = request.query;
      const params = new URLSearchParams();
      if (query.caseId) params.set('caseId', query.caseId.trim());
      if (query.viewer) params.set('viewer', query.viewer.trim());
      if (query.from) params.set('from', dayStart(query.from));
      if (query.to) params.set('to', dayStart(query.to));
      const answer = await api(session, 'GET', `/audit/access?${params}`);
      if (answer.status === 403)
        return render(
          reply,
          'problem.njk',
          {
            session: sessionView(session),
            status: 403,
            title: 'You cannot see the access log',
            detail: 'Only auditors and administrators may.',
          },
          403,
        );
      return render(
        reply,
        'access-log.njk',
        {
          session: sessionView(session),
          query,
          records: answer.status === 200 ? answer.body.items : [],
          range: answer.status === 200 ? { from: answer.body.from, to: answer.body.to } : undefined,
          errors: answer.status === 400 ? fieldErrors(answer.body) : [],
        },
        answer.status === 400 ? 400 : 200,
      );
    },
  );

  instance.get('/panels', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    const answer = await api(session, 'GET', '/panels?limit=100');
    if (answer.status === 403)
      return render(
        reply,
        'problem.njk',
        {
          session: sessionView(session),
          status: 403,
          title: 'You cannot see panel listings',
          detail: 'Panel listings are for case managers, panel chairs and members, and auditors.',
        },
        403,
      );
    return render(reply, 'panels.njk', {
      session: sessionView(session),
      listings: answer.status === 200 ? answer.body.items : [],
    });
  });

  instance.get('/statistics', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    return render(reply, 'statistics.njk', { session: sessionView(session) });
  });

  // ---- commands --------------------------------------------------------------------------------

  /** The route of a command the person may issue on this case now, from `GET /cases/:id/actions`. */
  async function allowedAction(session: ConsoleSession, caseId: string, command: string) {
    const answer = await api(session, 'GET', `/cases/${encodeURIComponent(caseId)}/actions`);
    if (answer.status !== 200) return { found: false as const };
    const actions = answer.body.actions as { command: string; path: string }[];
    const action = actions.find((candidate) => candidate.command === command);
    return { found: true as const, action, revision: String(answer.body.revision) };
  }

  function commandPage(
    reply: FastifyReply,
    session: ConsoleSession,
    page: {
      caseId?: string;
      command: string;
      fields: FormField[];
      values: Map<string, string[]>;
      revision?: string;
      idempotencyKey: string;
      errors?: { field: string; text: string }[];
      changed?: unknown[];
      status?: number;
      rule?: string;
    },
  ) {
    const values: Record<string, string[]> = Object.fromEntries(page.values);
    const errorsByField: Record<string, string> = {};
    for (const error of page.errors ?? []) errorsByField[error.field] ??= error.text;
    return render(
      reply,
      'command.njk',
      {
        session: sessionView(session),
        ...page,
        title: labelOf(page.command),
        action: page.caseId ? `/console/cases/${page.caseId}/commands/${page.command}` : '/console/referrals',
        values,
        errorsByField,
      },
      page.status ?? 200,
    );
  }

  instance.get('/referrals/new', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.actor.role !== 'lead') return notFound(reply, session);
    const fields = await formFor(session, '/cases');
    return commandPage(reply, session, {
      command: 'RaiseReferral',
      fields,
      values: new Map(),
      idempotencyKey: randomUUID(),
    });
  });

  instance.post('/referrals', async (request, reply) => {
    const post = requirePost(request, reply);
    if (!post) return reply;
    const { session, form } = post;
    const fields = await formFor(session, '/cases');
    const answer = await submit(session, '/cases', fields, form, undefined);
    if (answer.status === 201)
      return reply.redirect(
        `/console/cases/${String(answer.body.caseId)}?done=RaiseReferral&at=${String(answer.body.position)}`,
        303,
      );
    return refusal(reply, session, { command: 'RaiseReferral', fields, form, answer });
  });

  instance.get<{ Params: { caseId: string; command: string } }>(
    '/cases/:caseId/commands/:command',
    async (request, reply) => {
      const session = requireSession(request, reply);
      if (!session) return reply;
      const { caseId, command } = request.params;
      const allowed = await allowedAction(session, caseId, command);
      if (!allowed.found || !allowed.action) return notFound(reply, session);
      const fields = await formFor(session, allowed.action.path);
      return commandPage(reply, session, {
        caseId,
        command,
        fields,
        values: new Map(),
        revision: allowed.revision,
        idempotencyKey: randomUUID(),
      });
    },
  );

  instance.post<{ Params: { caseId: string; command: string } }>(
    '/cases/:caseId/commands/:command',
    async (request, reply) => {
      const post = requirePost(request, reply);
      if (!post) return reply;
      const { session, form } = post;
      const { caseId, command } = request.params;
      const allowed = await allowedAction(session, caseId, command);
      if (!allowed.found) return notFound(reply, session);
      // Not allowed now: still sent, so the API's refusal names the rule (e.g. someone else acted first).
      const path = allowed.action?.path ?? (await routeOf(session, command));
      if (!path) return notFound(reply, session);
      const fields = await formFor(session, path);
      const revision = form.get('_revision')?.[0];
      const answer = await submit(session, path.replace(':caseId', encodeURIComponent(caseId)), fields, form, revision);
      if (answer.status === 200)
        return reply.redirect(
          `/console/cases/${encodeURIComponent(caseId)}?done=${encodeURIComponent(command)}&at=${String(answer.body.position)}`,
          303,
        );
      let changed: unknown[] | undefined;
      if (answer.status === 412 && revision && /^\d+$/.test(revision)) {
        const history = await api(
          session,
          'GET',
          `/cases/${encodeURIComponent(caseId)}/history?fromRevision=${BigInt(revision) + 1n}`,
        );
        changed = history.status === 200 ? (history.body.items as unknown[]) : [];
      }
      return refusal(reply, session, {
        caseId,
        command,
        fields,
        form,
        answer,
        changed,
        revision: answer.status === 412 ? allowed.revision : revision,
      });
    },
  );

  async function routeOf(session: ConsoleSession, command: string): Promise<string | undefined> {
    const { paths } = await openApi(session);
    const wanted = command.charAt(0).toLowerCase() + command.slice(1);
    for (const [path, item] of Object.entries(paths)) {
      const post = item.post as { operationId?: string } | undefined;
      if (post?.operationId === wanted) return path.replace('{caseId}', ':caseId');
    }
    return undefined;
  }

  async function submit(
    session: ConsoleSession,
    url: string,
    fields: FormField[],
    form: Map<string, string[]>,
    revision: string | undefined,
  ): Promise<ApiAnswer> {
    const occurredAt = form.get('_occurredAt')?.[0]?.trim();
    const key = form.get('_idempotencyKey')?.[0];
    return api(session, 'POST', url, {
      body: bodyFrom(fields, form),
      headers: {
        ...(key && /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {}),
        ...(revision && /^\d+$/.test(revision) ? { 'if-match': `"${revision}"` } : {}),
        ...(occurredAt ? { 'x-occurred-at': occurredAt } : {}),
      },
    });
  }

  function refusal(
    reply: FastifyReply,
    session: ConsoleSession,
    page: {
      caseId?: string;
      command: string;
      fields: FormField[];
      form: Map<string, string[]>;
      answer: ApiAnswer;
      changed?: unknown[];
      revision?: string;
    },
  ) {
    const { answer } = page;
    const errors = fieldErrors(answer.body);
    if (errors.length === 0) {
      errors.push({ field: '', text: plainRefusal(answer) });
    }
    // A refused form keeps every answer; a new key, since the refused attempt recorded nothing.
    return commandPage(reply, session, {
      caseId: page.caseId,
      command: page.command,
      fields: page.fields,
      values: page.form,
      revision: page.revision,
      idempotencyKey: randomUUID(),
      errors,
      changed: page.changed,
      rule: typeof answer.body.rule === 'string' ? answer.body.rule : undefined,
      status: answer.status >= 400 && answer.status < 500 ? answer.status : 502,
    });
  }
}

function subjectOf(history: ApiAnswer): Record<string, unknown> | undefined {
  if (history.status !== 200) return undefined;
  const first = (history.body.items as { type?: string; data?: { subject?: Record<string, unknown> } }[])[0];
  return first?.type === 'ReferralRaised' ? first.data?.subject : undefined;
}

function plainRefusal(answer: ApiAnswer): string {
  if (answer.status === 412)
    return 'This case changed since you opened it. Check what changed below, then submit again if it is still right.';
  const detail = typeof answer.body.detail === 'string' ? answer.body.detail : undefined;
  const title = typeof answer.body.title === 'string' ? answer.body.title : 'The request was refused';
  return detail ?? title;
}

/** The API's field errors (400 problem details), as an error summary lists them. */
function fieldErrors(body: Record<string, unknown>): { field: string; text: string }[] {
  const errors = body.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((error: { field?: string; messages?: string[] }) => ({
    // The business time travels as a header; the form has it as a field.
    field: /occurred/i.test(String(error.field)) ? '_occurredAt' : String(error.field ?? ''),
    text: `${labelOf(
      String(error.field ?? '')
        .split('.')
        .pop() ?? '',
    )}: ${(error.messages ?? []).join('; ')}`,
  }));
}

function cookiesOf(request: FastifyRequest): Record<string, string> {
  const header = request.headers.cookie;
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0) cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}

/** Only a path inside the console: a sign-in link cannot send anyone elsewhere afterwards. */
function safeReturn(returnTo: string | undefined): string {
  return returnTo && /^\/console(\/[^\\]*)?$/.test(returnTo) && !returnTo.startsWith('//') ? returnTo : '/console';
}

function dayStart(value: string): string {
  const trimmed = value.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed;
}

function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
}

/**
 * Scripts only from this origin or with this response's nonce (the GOV.UK template's one-line
 * `js-enabled` script), styles and fonts from this origin, no framing, forms only back here or
 * to the identity provider (sign-out redirects there).
 */
export function contentSecurityPolicy(nonce: string, providerOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    `form-action 'self' ${providerOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
