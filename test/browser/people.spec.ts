/**
 * A People admin's day: the overview matches GET /summary; users created until the area is full,
 * the refusal and its ways out; a block frees the seat; delete asks first; move; no licence actions.
 */
import type { Page } from '@playwright/test';
import { callApi, expect, newArea, openPage, overviewCard, pick, signIn, test } from './fixtures.ts';

const FIGURE_LABELS = {
  limit: 'Limit',
  active: 'Seats in use',
  available: 'Free seats',
  blocked: 'Blocked',
  pending: 'Waiting for a licence',
  exempt: 'Exempt',
  refused: 'Creations refused since full',
} as const;

/** The figures an overview card shows, by the API's names. */
async function cardFigures(page: Page, title: string): Promise<Record<keyof typeof FIGURE_LABELS, number>> {
  const card = overviewCard(page, title);
  const figures = {} as Record<keyof typeof FIGURE_LABELS, number>;
  for (const [key, label] of Object.entries(FIGURE_LABELS) as [keyof typeof FIGURE_LABELS, string][]) {
    const text = await card.locator(`dt:text-is("${label}") + dd`).innerText();
    figures[key] = Number(text.replace(/[^0-9]/g, ''));
  }
  return figures;
}

async function createUser(page: Page, email: string, area: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Create a user' });
  await dialog.getByLabel('Email').fill(email);
  await pick(page, 'Area', area, dialog);
  await dialog.getByRole('button', { name: 'Create' }).click();
}

test('the overview shows what GET /summary says, for every area and the totals', async ({ page }) => {
  const area = await newArea('pw-overview', 7);
  await callApi('POST', '/users', { body: { email: `o1-${area}@example.com`, area } });
  const blocked = await callApi<{ user: { id: string } }>('POST', '/users', { body: { email: `o2-${area}@example.com`, area } });
  await callApi('POST', `/users/${blocked.body.user.id}/block`);

  await signIn(page, ['people-admin']);
  await expect(page.getByText(/Figures read at/)).toBeVisible();
  const { body: summary } = await callApi('GET', '/summary');
  expect(await cardFigures(page, area)).toEqual({ limit: 7, active: 1, available: 6, blocked: 1, pending: 0, exempt: 0, refused: 0 });
  for (const a of summary.areas) {
    const { area: name, ...figures } = a;
    expect(await cardFigures(page, name), name).toEqual(figures);
  }
  expect(await cardFigures(page, 'All areas')).toEqual(summary.totals);
});

test('the overview refreshes by itself every 30 seconds', async ({ page }) => {
  const area = await newArea('pw-refresh', 4);
  await page.clock.install();
  await signIn(page, ['people-admin']);
  const inUse = overviewCard(page, area).locator('dt:text-is("Seats in use") + dd');
  await expect(inUse).toHaveText('0');
  await callApi('POST', '/users', { body: { email: `new-${area}@example.com`, area } });
  await page.clock.fastForward(10_000);
  await expect(inUse).toHaveText('0');
  await page.clock.fastForward(21_000);
  await expect(inUse).toHaveText('1');
});

test('a People admin fills an area, is refused with the ways out, blocks one and sees the free seat', async ({
  page,
  expectedConsoleErrors,
}) => {
  expectedConsoleErrors.push(/status of 409/);
  const area = await newArea('pw-full', 2);
  await signIn(page, ['people-admin'], { path: '/people' });

  await page.getByRole('button', { name: 'Create a user' }).click();
  await createUser(page, `ada-${area}@example.com`, area);
  await expect(page.getByRole('dialog').getByRole('status')).toContainText(`ada-${area}@example.com created in ${area} (active)`);
  await createUser(page, `grace-${area}@example.com`, area);
  await expect(page.getByRole('dialog').getByRole('status')).toContainText(`grace-${area}@example.com created in ${area}`);
  // The area is full: the third is refused with the API's message and the two ways out.
  await createUser(page, `lin-${area}@example.com`, area);
  const refusal = page.getByRole('dialog').getByRole('alert');
  await expect(refusal).toContainText('SEAT_LIMIT_REACHED');
  await expect(refusal).toContainText(`Area '${area}' has no free seat: 2 of 2 licences are in use.`);
  await expect(refusal.getByRole('link', { name: 'Block someone' })).toBeVisible();
  await expect(refusal).toContainText(`Ask a licence administrator for more licences in ${area}.`);
  // A People admin without the licence role is offered no licence action, and cannot mark anyone exempt.
  await expect(refusal.getByRole('link', { name: /Raise the limit/ })).toHaveCount(0);
  await expect(page.getByRole('dialog').getByRole('checkbox', { name: /Exempt/ })).toHaveCount(0);
  expect((await callApi('GET', `/users?email=lin-${area}@example.com`)).body.items).toEqual([]);
  expect((await callApi('GET', '/summary')).body.areas.find((a: { area: string }) => a.area === area)).toMatchObject({
    active: 2,
    available: 0,
    refused: 1,
  });

  // "Block someone" leads to the area's active people.
  await refusal.getByRole('link', { name: 'Block someone' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `${area} Area` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Active State' })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(3); // header + 2
  // Block Ada from the keyboard: focus her actions button, open the menu, choose Block.
  await page.getByRole('button', { name: `Actions for ada-${area}@example.com` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Block' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `ada-${area}@example.com blocked: its seat is free.` })).toBeVisible();
  // The list shows active people: Ada has left it.
  await expect(page.getByRole('row', { name: new RegExp(`ada-${area}`) })).toHaveCount(0);
  await expect(page.getByRole('row', { name: new RegExp(`grace-${area}`) })).toContainText('Active');

  await openPage(page, '/');
  await expect(overviewCard(page, area).locator('dt:text-is("Free seats") + dd')).toHaveText('1');
  await expect(overviewCard(page, area).locator('dt:text-is("Seats in use") + dd')).toHaveText('1');
  // The refused count starts again once the area has a free seat.
  expect((await callApi('GET', '/summary')).body.areas.find((a: { area: string }) => a.area === area)).toMatchObject({
    active: 1,
    available: 1,
    blocked: 1,
    refused: 0,
  });
});

test('delete says it is permanent and block reversible; move needs a seat in the new area', async ({ page }) => {
  const area = await newArea('pw-rows', 3);
  const other = await newArea('pw-rows-to', 1);
  for (const name of ['kim', 'lee']) await callApi('POST', '/users', { body: { email: `${name}-${area}@example.com`, area } });
  await signIn(page, ['people-admin'], { path: '/people' });
  await pick(page, 'Area', area);

  await page.getByRole('button', { name: `Actions for kim-${area}@example.com` }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Delete kim-${area}@example.com?` });
  await expect(confirm).toContainText('Delete is permanent');
  await expect(confirm).toContainText('Block is reversible');
  await confirm.getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page.getByRole('status').filter({ hasText: `kim-${area}@example.com deleted.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`kim-${area}`) })).toHaveCount(0);

  await page.getByRole('button', { name: `Actions for lee-${area}@example.com` }).click();
  await page.getByRole('menuitem', { name: 'Move to another area…' }).click();
  const move = page.getByRole('dialog', { name: `Move lee-${area}@example.com` });
  await pick(page, 'New area', other, move);
  await move.getByRole('button', { name: 'Move' }).click();
  await expect(page.getByRole('status').filter({ hasText: `lee-${area}@example.com moved to ${other}.` })).toBeVisible();
  const { body } = await callApi('GET', `/users?email=lee-${area}@example.com`);
  expect(body.items[0]).toMatchObject({ area: other, state: 'active' });
});

test('a People admin sees the limits but no licence action, and no directory tokens', async ({ page }) => {
  await signIn(page, ['people-admin'], { path: '/licences' });
  await expect(page.getByRole('row', { name: /^primary/ })).toBeVisible();
  await expect(page.getByText('Changing limits, adding areas and moving seats needs the license-admin role.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Set limit/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add an area' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Move seats' })).toHaveCount(0);
  await openPage(page, '/directories');
  await expect(page.getByText(/needs both roles, people-admin and license-admin/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Issue token' })).toHaveCount(0);
});

test('a licence admin without the People role is told why the people pages are closed', async ({ page }) => {
  await signIn(page, ['license-admin'], { path: '/people' });
  await expect(page.getByText('Listing and changing people needs the people-admin role.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create a user' })).toHaveCount(0);
  for (const [path, what] of [
    ['/waiting', 'The waiting list needs'],
    ['/imports', 'Importing people needs'],
    ['/export', 'Exporting people needs'],
  ] as const) {
    await openPage(page, path);
    await expect(page.getByText(new RegExp(what))).toBeVisible();
  }
});
