/**
 * What the browser tests share: the console's URL, tokens for the throwaway npm start, the API
 * (to set up areas and to cross-check what a page shows), and a page that records every
 * Content-Security-Policy violation and console error, so each test can say there were none.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { signLocalToken } from '../../infra/local/localAuth.ts';

export { expect };

export type Role = 'people-admin' | 'license-admin';
export const BOTH: Role[] = ['people-admin', 'license-admin'];

export const consoleUrl = () => {
  const url = process.env.CONSOLE_URL;
  if (!url)
    throw new Error(
      'CONSOLE_URL is not set: run the browser tests with `npx playwright test` (test/browser/globalSetup.ts starts npm start).',
    );
  return url;
};

const secret = () => new TextEncoder().encode(process.env.LOCAL_JWT_SECRET);

/** A token the throwaway npm start accepts; `expiresAt` (epoch seconds) for one that lapses soon. */
export const tokenFor = (roles: Role[], options: { email?: string; expiresAt?: number } = {}) =>
  signLocalToken(secret(), roles, {
    subject: `browser-${roles.join('+') || 'none'}`,
    email: options.email ?? `${roles.join('.') || 'nobody'}@example.com`,
    ...(options.expiresAt ? { expiresIn: options.expiresAt } : {}),
  });

/** Calls the API as a caller with `roles` (both by default). */
export async function callApi<T = any>(
  method: string,
  path: string,
  options: { body?: unknown; roles?: Role[] } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${consoleUrl()}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(options.roles ?? BOTH)}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A new area with `limit` seats, named for the test (tests never share an area). */
export async function newArea(prefix: string, limit: number): Promise<string> {
  const area = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { status } = await callApi('PUT', `/license/areas/${area}`, { body: { limit } });
  expect(status).toBe(200);
  return area;
}

/** Opens the console signed in with a token (the `#access_token=` entry scripts and tests use). */
export async function signIn(
  page: Page,
  roles: Role[],
  options: { email?: string; expiresAt?: number; path?: string } = {},
): Promise<void> {
  await page.goto(`${consoleUrl()}/#access_token=${await tokenFor(roles, options)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  if (options.path) await openPage(page, options.path);
}

const PAGE_LABELS: Record<string, string> = {
  '/': 'Overview',
  '/people': 'People',
  '/waiting': 'Waiting list',
  '/imports': 'Imports',
  '/export': 'Export',
  '/licences': 'Licences',
  '/directories': 'Directories',
};

/** Follows the navigation link, as a person does, and waits for the page's heading. */
export async function openPage(page: Page, path: string): Promise<void> {
  const label = PAGE_LABELS[path]!;
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
}

/** An overview card: a region named by its heading, the area (or "All areas") and its badge, if any. */
export const overviewCard = (page: Page, title: string) =>
  page.getByRole('region', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: Nearly full| Full)?$`) });

/** A react-aria Select's button: its name is the chosen value, then the label. */
export const selectButton = (scope: Pick<Page, 'getByRole'>, label: string) =>
  scope.getByRole('button', { name: new RegExp(` ${label}$`) });

/** Chooses `option` in the Select labelled `label`. */
export async function pick(page: Page, label: string, option: string, scope: Pick<Page, 'getByRole'> = page): Promise<void> {
  await selectButton(scope, label).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** axe-core finds no serious or critical violation on what the page shows now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const severe = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export const SCREENSHOTS = 'test-results/screenshots';

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/**
 * Every test's page reports its Content-Security-Policy violations, uncaught errors and console
 * errors, and the test fails if there was any it did not expect (a test that provokes a 401 pushes
 * a pattern for it onto `expectedConsoleErrors`: Chromium logs the refused request).
 */
export const test = base.extend<{ expectedConsoleErrors: RegExp[] }>({
  expectedConsoleErrors: [
    async ({ page }, use) => {
      const expected: RegExp[] = [];
      const problems: string[] = [];
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
        );
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      await use(expected);
      expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
    },
    { auto: true },
  ],
});
