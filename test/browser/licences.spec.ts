/** A licence admin: raises a limit, adds an area, moves seats, meets both refusals; issues and revokes a SCIM token. */
import { callApi, consoleUrl, expect, newArea, pick, signIn, test } from './fixtures.ts';

const licenceOf = async (area: string) => (await callApi('GET', '/license')).body.areas.find((a: { area: string }) => a.area === area);

test('a licence admin raises a limit, adds an area and moves free seats; refusals are explained in place', async ({
  page,
  expectedConsoleErrors,
}) => {
  expectedConsoleErrors.push(/status of 409/);
  const area = await newArea('pw-lic', 2);
  await callApi('POST', '/users', { body: { email: `one-${area}@example.com`, area } });
  await signIn(page, ['license-admin'], { path: '/licences' });

  // Raise the limit from 2 to 6.
  await page.getByRole('button', { name: `Set limit for ${area}` }).click();
  const dialog = page.getByRole('dialog', { name: `Set the limit of ${area}` });
  await dialog.getByLabel('Limit (seats)').fill('6');
  await dialog.getByRole('button', { name: 'Set limit' }).click();
  await expect(page.getByRole('status').filter({ hasText: `The limit of ${area} is now 6.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`^${area}`) })).toContainText('6');
  expect(await licenceOf(area)).toMatchObject({ limit: 6, active: 1, available: 5 });

  // Below the active count: refused, explained in the dialog.
  await page.getByRole('button', { name: `Set limit for ${area}` }).click();
  await dialog.getByLabel('Limit (seats)').fill('0');
  await dialog.getByRole('button', { name: 'Set limit' }).click();
  await expect(dialog.getByRole('alert')).toContainText('LIMIT_BELOW_ACTIVE');
  await expect(dialog.getByRole('alert')).toContainText('A limit cannot go below the accounts active in the area (1)');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await licenceOf(area)).toMatchObject({ limit: 6 });

  // A new area, then 3 free seats moved to it.
  const added = `${area}-b`;
  await page.getByRole('button', { name: 'Add an area' }).click();
  const add = page.getByRole('dialog', { name: 'Add an area' });
  await add.getByLabel('Area name').fill(added);
  await add.getByLabel('Limit (seats)').fill('1');
  await add.getByRole('button', { name: 'Add area' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Area ${added} added with 1 seats.` })).toBeVisible();

  const transfer = page.getByRole('region', { name: 'Move free seats' });
  await pick(page, 'From', `${area} (5 free)`, transfer);
  await pick(page, 'To', `${added} (1 free)`, transfer);
  await transfer.getByLabel('Seats').fill('9');
  await transfer.getByRole('button', { name: 'Move seats' }).click();
  await expect(transfer.getByRole('alert')).toContainText('NOT_ENOUGH_FREE_SEATS');
  await expect(transfer.getByRole('alert')).toContainText(`Only free seats move: 5 are free in ${area}.`);
  await transfer.getByLabel('Seats').fill('3');
  await transfer.getByRole('button', { name: 'Move seats' }).click();
  await expect(page.getByRole('status').filter({ hasText: `3 free seats moved from ${area} to ${added}.` })).toBeVisible();
  expect(await licenceOf(area)).toMatchObject({ limit: 3, available: 2 });
  expect(await licenceOf(added)).toMatchObject({ limit: 4, available: 4 });
});

test('an admin with both roles issues a SCIM token (shown once, copied), then revokes it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const directory = `okta-${Date.now().toString(36)}`;
  await signIn(page, ['people-admin', 'license-admin'], { path: '/directories' });
  await expect(page.getByText(`${consoleUrl()}/scim/v2`)).toBeVisible();
  await page.getByLabel('Directory', { exact: true }).fill(directory);
  await page.getByLabel('Description').fill('Okta production');
  await page.getByRole('button', { name: 'Issue token' }).click();

  const shown = page.getByRole('dialog', { name: `Token for ${directory}` });
  await expect(shown).toContainText('This token is shown once');
  const token = await shown.getByRole('textbox', { name: 'SCIM token' }).inputValue();
  expect(token).toMatch(/^skscim_/);
  await expect(shown.getByRole('textbox', { name: 'SCIM base URL' })).toHaveValue(`${consoleUrl()}/scim/v2`);
  await shown.getByRole('button', { name: 'Copy the scim token' }).click();
  await expect(shown.getByText('Copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await shown.getByRole('button', { name: 'Done' }).click();

  // The token works for SCIM as a directory would use it, and is listed (without its secret).
  const scim = () => fetch(`${consoleUrl()}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}` } });
  expect((await scim()).status).toBe(200);
  const row = page.getByRole('row', { name: new RegExp(`^${directory}`) });
  await expect(row).toContainText('Okta production');
  await expect(page.getByRole('table', { name: 'SCIM tokens' })).not.toContainText(token);

  await row.getByRole('button', { name: `Revoke the token of ${directory} (Okta production)` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Revoke the token of ${directory}?` });
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('status').filter({ hasText: `The token of ${directory} (Okta production) is revoked` })).toBeVisible();
  await expect(row).toHaveCount(0);
  expect((await scim()).status).toBe(401);
});
