/**
 * Every page at desktop and narrow widths: axe-core finds no serious or critical violation, and a
 * screenshot is written to test-results/screenshots/. Dialogs are checked open. Also the initial
 * JavaScript's gzipped size, measured on what the browser loads for the first page.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { callApi, consoleUrl, expect, expectAccessible, openPage, screenshot, signIn, test, SCREENSHOTS } from './fixtures.ts';

const PAGES = [
  ['/', 'overview'],
  ['/people', 'people'],
  ['/waiting', 'waiting-list'],
  ['/imports', 'imports'],
  ['/export', 'export'],
  ['/licences', 'licences'],
  ['/directories', 'directories'],
] as const;

const WIDTHS = [
  ['desktop', { width: 1280, height: 800 }],
  ['narrow', { width: 390, height: 844 }],
] as const;

/** Limit is the budget for what the first page loads. */
const INITIAL_JS_BUDGET_GZIP_BYTES = 150 * 1024;

/** Sets an area's limit (creating it); plain names, for readable screenshots (a rerun finds them as they are). */
async function area(name: string, limit: number): Promise<string> {
  expect((await callApi('PUT', `/license/areas/${name}`, { body: { limit } })).status).toBe(200);
  return name;
}

test.beforeAll(async () => {
  // Something to show: an amber area (90 % used) and a full one that refused a creation.
  const amber = await area('partners', 10);
  for (let i = 0; i < 9; i++)
    await callApi('POST', '/users', { body: { email: `partner${i}@example.com`, name: `Partner ${i}`, area: amber } });
  const full = await area('suppliers', 2);
  for (let i = 0; i < 2; i++)
    await callApi('POST', '/users', { body: { email: `supplier${i}@example.com`, name: `Supplier ${i}`, area: full } });
  expect((await callApi('POST', '/users', { body: { email: 'late-supplier@example.com', area: full } })).status).toBe(409);
});

for (const [widthName, viewport] of WIDTHS) {
  test(`every page passes axe and is photographed (${widthName})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await signIn(page, ['people-admin', 'license-admin']);
    for (const [path, name] of PAGES) {
      if (path !== '/') await openPage(page, path);
      // Wait for the page's data, so axe checks what a person sees.
      await expect(page.getByText(/Loading/)).toHaveCount(0);
      if (path === '/') await expect(page.getByText(/Figures read at/)).toBeVisible();
      await expectAccessible(page, `${name} (${widthName})`);
      await screenshot(page, `${name}-${widthName}`);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, `sign-in (${widthName})`);
    await screenshot(page, `sign-in-${widthName}`);
  });
}

test('dialogs and menus pass axe while open, and Escape closes them', async ({ page }) => {
  await signIn(page, ['people-admin', 'license-admin'], { path: '/people' });
  await page.getByRole('button', { name: 'Create a user' }).click();
  await expect(page.getByRole('dialog', { name: 'Create a user' })).toBeVisible();
  await expect(page.getByRole('dialog').getByLabel('Email')).toBeFocused();
  await expectAccessible(page, 'create-user dialog');
  await screenshot(page, 'people-create-dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const actions = page.getByRole('button', { name: /^Actions for / }).first();
  await actions.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectAccessible(page, 'row actions menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(actions).toBeFocused();

  await openPage(page, '/licences');
  await page.getByRole('button', { name: 'Add an area' }).click();
  await expectAccessible(page, 'add-area dialog');
  await page.keyboard.press('Escape');
});

test(`the first page loads at most ${INITIAL_JS_BUDGET_GZIP_BYTES / 1024} KB of JavaScript, gzipped`, async ({ page }) => {
  const scripts = new Set<string>();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.add(new URL(request.url()).pathname);
  });
  await signIn(page, ['people-admin']);
  await expect(page.getByText(/Figures read at/)).toBeVisible();
  const dist = join(import.meta.dirname, '../../web/dist');
  const files = [...scripts].map((path) => ({ path, gzip: gzipSync(readFileSync(join(dist, path)), { level: 9 }).length }));
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, '..', 'initial-js.json'), JSON.stringify({ url: consoleUrl(), totalGzipBytes: total, files }, null, 2));
  console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${files.length} files`);
  expect(files.length).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET_GZIP_BYTES);
});
