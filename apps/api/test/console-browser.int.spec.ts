import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, itWithChromium } from '../../reporting/test/support/chromium';
import { labelOf } from '../src/console/command-form';
import { startConsole, type ConsoleHarness } from './support/console-harness';
import { REFERRAL_ANSWERS, WALK, type ConsoleStep } from './support/console-walk';
import { REPO_ROOT } from './support/settings';

const SCREENSHOTS = join(REPO_ROOT, 'artifacts', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  readonly page: string;
  readonly id: string;
  readonly nodes: string[];
}

/**
 * The console in Debian's Chromium: one referral from raised to closed through the pages only,
 * each person signing in through the local OpenID provider; every page scanned with axe-core
 * (WCAG 2.2 AA rules); one step done with the keyboard alone; the case manager's browser has
 * JavaScript switched off; screenshots of the main pages under artifacts/console.
 */
describe('Harbour Console in a browser', () => {
  let harness: ConsoleHarness;
  let browser: Browser;
  const violations: Violation[] = [];
  const cspReports: string[] = [];
  const scanned = new Set<string>();

  /** Pages whose browser has JavaScript off, and a browser of the same person's with it on. */
  const withoutJavaScript = new Map<Page, Page>();

  async function scan(given: Page, name: string, again = false): Promise<void> {
    // Each page once (the same template with other data scans the same); more would not fit CI's budget.
    const key = new URL(given.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id');
    if (scanned.has(key) && !again) return;
    // axe runs in the page: a page without JavaScript is scanned as the same person sees it with.
    const twin = withoutJavaScript.get(given);
    if (twin) await twin.goto(given.url());
    const page = twin ?? given;
    // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) still holds.
    await page.evaluate(`${AXE};undefined`);
    // Page code as text: this project compiles without the DOM's types.
    const result = (await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })`,
    )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
    for (const violation of result.violations) {
      violations.push({ page: name, id: violation.id, nodes: violation.nodes.map((node) => node.target.join(' ')) });
    }
    scanned.add(key);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function personFor(
    login: string,
    options: { javaScript?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScript ?? true,
      viewport: { width: 1100, height: 900 },
    });
    // A step that cannot happen fails within seconds, naming what it waited for.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspReports.push(`${page.url()}: ${message.text()}`);
    });
    await page.goto(`${harness.api.url}/console`);
    if (options.javaScript !== false) await scan(page, `start (${login})`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The provider's own login page (oidc-provider's development interaction).
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForURL(`${harness.api.url}/console`);
    if (options.javaScript !== false) await scan(page, `home (${login})`);
    return { context, page };
  }

  async function fill(page: Page, answers: Record<string, string | string[]>): Promise<void> {
    for (const [name, value] of Object.entries(answers)) {
      const field = page.locator(`[name="${name}"]`).first();
      const tag = await field.evaluate(
        (element: { tagName: string; type?: string }) => `${element.tagName.toLowerCase()}:${element.type ?? ''}`,
      );
      if (tag.startsWith('select')) await field.selectOption(value as string);
      else if (tag === 'input:radio') await page.check(`input[name="${name}"][value="${value as string}"]`);
      else if (tag === 'input:checkbox')
        for (const one of value as string[]) await page.check(`input[name="${name}"][value="${one}"]`);
      else await field.fill(value as string);
    }
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    harness = await startConsole();
  });
  afterAll(async () => {
    await browser?.close();
    await harness.close();
  });

  itWithChromium(
    'takes one referral from raised to closed through the pages, each role signing in; axe finds nothing; CSP holds',
    async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const people = new Map<string, Page>();
      let caseId = '';
      // The store's recorded time (the wall clock) once the recovery period has started.
      let recordedInRecovery = '';
      for (const step of WALK) {
        let page = people.get(step.login);
        if (!page) {
          // The case manager works with JavaScript off: every task must work without it.
          const javaScript = step.login !== 'cm-1';
          page = (await personFor(step.login, { javaScript })).page;
          people.set(step.login, page);
          if (!javaScript) withoutJavaScript.set(page, (await personFor(step.login)).page);
          if (step.login === 'lead-1') await shoot(page, 'home-lead');
        }
        if (step.command === 'RaiseReferral') {
          await page.getByRole('link', { name: 'Raise a referral' }).first().click();
          // A refusal first: nothing filled in, the error summary names what is missing.
          await page.getByRole('button', { name: 'Submit' }).click();
          await page.locator('.govuk-error-summary').waitFor();
          await scan(page, 'referral form with errors', true);
          await shoot(page, 'referral-errors');
          await fill(page, REFERRAL_ANSWERS);
          await page.fill('input[name="_occurredAt"]', step.occurredAt);
          await page.getByRole('button', { name: 'Submit' }).click();
        } else if (step.command === 'RecordLeadAssessment') {
          await page.goto(`${harness.api.url}/console/cases/${caseId}`);
          await keyboardStep(page, step);
        } else {
          await page.goto(`${harness.api.url}/console/cases/${caseId}`);
          await scan(page, `case page (${step.login})`);
          if (step.command === 'ListCaseForPanel') await shoot(page, 'case-page-case-manager');
          await page.getByRole('link', { name: labelOf(step.command), exact: true }).click();
          await scan(page, `${step.command} form`);
          await fill(page, step.answers);
          await page.fill('input[name="_occurredAt"]', step.occurredAt);
          if (step.command === 'ConvenePanel') await shoot(page, 'convene-panel-form');
          await page.getByRole('button', { name: 'Submit' }).click();
        }
        await page.locator('.govuk-notification-banner--success').waitFor();
        expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(
          `${labelOf(step.command)}: done.`,
        );
        caseId = /\/console\/cases\/([0-9a-f-]{36})/.exec(page.url())![1];
        if (step.command === 'RecordLeadAssessment') recordedInRecovery = new Date().toISOString();
        await scan(page, `case page after ${step.command}`);
      }
      const cm = people.get('cm-1')!;
      expect(await cm.locator('h1').innerText()).toMatch(/^Closed/);
      await shoot(cm, 'case-page-closed');
      await cm.goto(`${harness.api.url}/console/cases`);
      await scan(cm, 'caseload');
      await shoot(cm, 'caseload');

      // The panel chair's listings.
      const chair = people.get('chair-1')!;
      await chair.goto(`${harness.api.url}/console/panels`);
      await scan(chair, 'panel listings');
      await shoot(chair, 'panel-listings');

      // The auditor: find the case, its timeline and badge, as it stood, why the decision stands, the access log.
      const auditor = (await personFor('auditor-1')).page;
      await auditor.goto(`${harness.api.url}/console/cases`);
      await auditor.fill('input[name="caseId"]', caseId);
      await auditor.getByRole('button', { name: 'Find cases' }).click();
      await auditor.waitForURL(`**/console/cases/${caseId}`);
      expect(await auditor.locator('text=What you can do next').count()).toBe(0);
      await auditor.getByRole('link', { name: 'Timeline and verification' }).click();
      await scan(auditor, 'timeline');
      expect(await auditor.locator('[data-testid="verification"]').innerText()).toContain('Chain verified');
      expect(await auditor.locator('[data-testid="timeline"] > li').count()).toBeGreaterThanOrEqual(WALK.length);
      await shoot(auditor, 'timeline');
      await auditor.goto(`${harness.api.url}/console/cases/${caseId}/as-of?asOf=${recordedInRecovery}`);
      await scan(auditor, 'as of');
      expect(await auditor.locator('h2').first().innerText()).toContain('Recovery');
      await shoot(auditor, 'as-of');
      await auditor.goto(`${harness.api.url}/console/cases/${caseId}`);
      await auditor.locator('a', { hasText: 'why it stands' }).first().click();
      await scan(auditor, 'decision explanation');
      await auditor.goto(`${harness.api.url}/console/access-log?caseId=${caseId}`);
      await scan(auditor, 'access log');
      expect(await auditor.locator('[data-testid="access-log"] tbody tr').count()).toBeGreaterThan(0);
      await shoot(auditor, 'access-log');

      // The analyst: statistics, and nothing about the person.
      const analyst = (await personFor('analyst-1')).page;
      await analyst.goto(`${harness.api.url}/console/statistics`);
      await scan(analyst, 'statistics');
      expect(await analyst.content()).not.toContain(String(REFERRAL_ANSWERS['subject.name']));

      // The other roles sign in and see their home page.
      for (const login of ['member-1', 'ca-1', 'admin-1']) await personFor(login);

      expect(cspReports).toEqual([]);
      expect(violations).toEqual([]);
      expect([...scanned].sort()).toEqual(
        expect.arrayContaining([
          '/console',
          '/console/cases',
          '/console/cases/:id',
          '/console/cases/:id/timeline',
          '/console/cases/:id/as-of',
          '/console/access-log',
          '/console/panels',
          '/console/statistics',
          '/console/referrals',
        ]),
      );
    },
    300_000,
  );

  /** The lead's assessment with the keyboard alone: Tab to the link, Enter, type, Tab, Enter. */
  async function keyboardStep(page: Page, step: ConsoleStep): Promise<void> {
    const focused = () =>
      page.evaluate(() => {
        // Runs in the page; typed by hand, as this project compiles without the DOM's types.
        interface Focusable {
          tagName: string;
          textContent: string | null;
          getAttribute(name: string): string | null;
        }
        const element = (globalThis as unknown as { document: { activeElement: Focusable | null } }).document
          .activeElement;
        return element
          ? [
              element.tagName.toLowerCase(),
              element.getAttribute('name') ?? '',
              element.getAttribute('href') ?? '',
              element.textContent?.trim() ?? '',
            ].join('|')
          : '';
      });
    async function tabTo(matches: (description: string) => boolean): Promise<void> {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press('Tab');
        if (matches(await focused())) return;
      }
      throw new Error(`Tab never reached the element (last: ${await focused()})`);
    }
    await tabTo((description) => description.includes(`/commands/${step.command}`));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/commands/${step.command}`);
    await scan(page, `${step.command} form (keyboard)`);
    await tabTo((description) => description.startsWith('select|outcome'));
    await page.keyboard.type(String(step.answers.outcome));
    expect(await page.locator('select[name="outcome"]').inputValue()).toBe(step.answers.outcome);
    await tabTo(
      (description) => description.startsWith('textarea|rationale') || description.startsWith('input|rationale'),
    );
    await page.keyboard.type(String(step.answers.rationale));
    await tabTo((description) => description.startsWith('input|_occurredAt'));
    await page.keyboard.type(step.occurredAt);
    await tabTo((description) => description.startsWith('button|') && description.endsWith('Submit'));
    await page.keyboard.press('Enter');
  }
});
