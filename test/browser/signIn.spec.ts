/** Signing in and out: the local sign-in page, the #access_token entry, roles shown, an expired token. */
import { consoleUrl, expect, expectAccessible, signIn, test } from './fixtures.ts';

test('the local sign-in page says it exists only locally, and signs in with the roles picked', async ({ page }) => {
  await page.goto(`${consoleUrl()}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Seatkeeper' })).toBeVisible();
  await expect(page.getByText('This console runs locally (npm start)')).toBeVisible();
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Local sign-in' })).toBeVisible();
  await expect(page.getByText('This page exists only locally.')).toBeVisible();
  await expectAccessible(page, 'local sign-in page');
  // A People admin without the licence role.
  await page.getByRole('checkbox', { name: 'license-admin' }).uncheck();
  await page.getByLabel('Email').fill('pat@example.com');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // The token left the address bar.
  expect(page.url()).not.toContain('access_token');
  const whoami = page.getByLabel('Signed in');
  await expect(whoami).toContainText('pat@example.com');
  await expect(whoami.getByRole('list', { name: 'Roles' }).getByRole('listitem')).toHaveText(['people-admin']);
});

test('sign out ends the session; a reload does too (tokens live in memory only)', async ({ page }) => {
  await signIn(page, ['people-admin']);
  expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toMatch(/eyJ/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  await signIn(page, ['people-admin']);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
});

test('an expired token leads back to sign-in', async ({ page }) => {
  await signIn(page, ['people-admin'], { expiresAt: Math.floor(Date.now() / 1000) + 4 });
  await page.waitForTimeout(4_500);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'People' }).click();
  await expect(page.getByText('Your session has expired. Sign in again to go on.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a token the API refuses (401) leads back to sign-in too', async ({ page, expectedConsoleErrors }) => {
  expectedConsoleErrors.push(/401/);
  // Signed with another secret: the console cannot tell, the API can.
  const { SignJWT } = await import('jose');
  const forged = await new SignJWT({ 'cognito:groups': ['people-admin'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .setIssuer('seatkeeper-local')
    .setAudience('seatkeeper')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('not the secret'));
  await page.goto(`${consoleUrl()}/#access_token=${forged}`);
  await expect(page.getByText('Your session has expired. Sign in again to go on.')).toBeVisible();
});

test('every page is reached from the keyboard alone', async ({ page }) => {
  await signIn(page, ['people-admin', 'license-admin']);
  for (const label of ['People', 'Waiting list', 'Imports', 'Export', 'Licences', 'Directories', 'Overview']) {
    const link = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true });
    // Tab until the link has focus, then Enter.
    for (let i = 0; i < 30 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
    await expect(link).toHaveAttribute('aria-current', 'page');
  }
});
