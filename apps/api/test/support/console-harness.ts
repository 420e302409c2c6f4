import { FakeClock } from '@harbour/application';
import { LocalOidcProvider } from '../../src/console/local-oidc-provider';
import { startApi, type ApiHarness, type StartOptions } from './api-harness';

const CLIENT_SECRET = 'console-test-client-secret-0123456789';

/** The API with its console, trusting a local OpenID provider started for the test. */
export interface ConsoleHarness {
  readonly api: ApiHarness;
  readonly provider: LocalOidcProvider;
  close(): Promise<void>;
}

export async function startConsole(options: StartOptions = {}): Promise<ConsoleHarness> {
  const provider = await LocalOidcProvider.listen('127.0.0.1', 0);
  const api = await startApi({
    // After the walk's last step (2015-10-21): the business times it gives are all in the past.
    clock: new FakeClock(new Date('2015-11-01T09:00:00.000Z')),
    ...options,
    env: {
      HARBOUR_CONSOLE_OIDC_ISSUER: provider.issuer,
      HARBOUR_CONSOLE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      ...options.env,
    },
  });
  await provider.registerConsole(api.config, api.url);
  return {
    api,
    provider,
    async close() {
      await api.close();
      await provider.close();
    },
  };
}

/**
 * A browser's cookie jar, as far as these tests need one: cookies by name for the host (browsers
 * share cookies across ports, so the provider's and the console's sit side by side).
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** A user agent with cookies and no JavaScript: follows redirects itself, to see each one. */
export class Visitor {
  readonly jar = new CookieJar();

  constructor(private readonly base: string) {}

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return this.send(url, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Sends one request, then follows its redirects (303 and 302 become GET), returning the last answer. */
  async send(url: string, init: RequestInit): Promise<Response> {
    let target = new URL(url, this.base).href;
    let request = init;
    for (let hop = 0; hop < 15; hop++) {
      const response = await fetch(target, {
        ...request,
        redirect: 'manual',
        headers: { ...(request.headers as Record<string, string>), cookie: this.jar.header() },
      });
      this.jar.take(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      await response.arrayBuffer();
      target = new URL(location, target).href;
      request = { method: 'GET' };
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  /** Signs in through the provider's login page, as a person would; ends on the console page. */
  async signIn(login: string, returnTo = '/console'): Promise<Response> {
    const loginPage = await this.get(`/console/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    const html = await loginPage.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`No login form at ${loginPage.url}: ${html.slice(0, 300)}`);
    return this.send(new URL(action.replace(/&amp;/g, '&'), loginPage.url).href, {
      method: 'POST',
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('No CSRF token on the page');
  return token;
}

/** The hidden fields of the form on a page that posts to `action` (CSRF token, idempotency key, revision). */
export function hiddenFieldsOf(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start === -1) throw new Error(`No form posting to ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[match[1]] = match[2];
  return fields;
}
