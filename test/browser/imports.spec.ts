/**
 * Files in and out: a CSV upload with more rows than free seats (progress, the job, its rejected
 * rows, the report), a directory sync whose extra rows wait and "Activate now", and the export.
 */
import { readFileSync } from 'node:fs';
import { callApi, expect, newArea, openPage, pick, signIn, test } from './fixtures.ts';

const csv = (rows: string[]) => Buffer.from(['email,name', ...rows].join('\n') + '\n');

// Until the import function has picked the file up, GET /imports/{id} answers 404 (the page says it waits).
const UNTIL_PICKED_UP = /status of 404/;

test('an upload with more rows than free seats finishes with its rejected rows and report', async ({ page, expectedConsoleErrors }) => {
  expectedConsoleErrors.push(UNTIL_PICKED_UP);
  const area = await newArea('pw-upload', 3);
  await callApi('POST', '/users', { body: { email: `first-${area}@example.com`, area } });
  await signIn(page, ['people-admin'], { path: '/imports' });

  await pick(page, 'Area', area);
  const rows = ['ann', 'bob', 'cy', 'dee'].map((name) => `${name}-${area}@example.com,${name}`);
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: `${area}.csv`, mimeType: 'text/csv', buffer: csv([...rows, 'not-an-email,x']) });
  await expect(page.getByText(`${area}.csv (`)).toBeVisible();
  await page.getByRole('button', { name: 'Upload and import' }).click();

  // The job view: live status until it finishes, then the counts and the rows not created.
  await expect(page.getByRole('heading', { name: `Upload: ${area}.csv` })).toBeVisible();
  await expect(page.locator('.job-status')).toContainText('Finished', { timeout: 30_000 });
  const figure = (label: string) => page.locator(`dl[aria-label="Counts"] dt:text-is("${label}") + dd`);
  await expect(figure('Rows read')).toHaveText('5');
  await expect(figure('Created')).toHaveText('2');
  await expect(figure('Rejected')).toHaveText('3');
  const report = page.getByRole('table', { name: 'Rows not created' });
  await expect(report.getByRole('row')).toHaveCount(4);
  await expect(report.getByRole('row', { name: /cy-/ })).toContainText('SEAT_LIMIT_REACHED');
  await expect(report.getByRole('row', { name: /dee-/ })).toContainText('SEAT_LIMIT_REACHED');
  await expect(report.getByRole('row', { name: /not-an-email/ })).toContainText('rejected');
  await expect(page.getByRole('link', { name: 'Download the whole report (CSV)' })).toHaveAttribute('href', /reports\//);

  // What the API says of the same job, and of the area.
  const { body } = await callApi('GET', '/imports?limit=20');
  const job = body.items.find((j: { key: string }) => j.key.endsWith(`${area}.csv`));
  expect(job).toMatchObject({ status: 'succeeded', counts: { rows: 5, created: 2, rejected: 3 } });
  expect((await callApi('GET', '/summary')).body.areas.find((a: { area: string }) => a.area === area)).toMatchObject({
    active: 3,
    available: 0,
  });
  // The job in the recent list, linking to its view.
  await expect(
    page
      .getByRole('table', { name: 'Recent imports, newest first' })
      .getByRole('link', { name: new RegExp(`${area}.csv`) })
      .first(),
  ).toBeVisible();
});

test('a sync run beyond the free seats puts people on the waiting list; "Activate now" seats them', async ({
  page,
  expectedConsoleErrors,
}) => {
  expectedConsoleErrors.push(UNTIL_PICKED_UP);
  const area = await newArea('pw-sync', 1);
  const directory = `dir-${area.slice(-8)}`.replace(/^dir-(\d)/, 'dir-x$1');
  await signIn(page, ['people-admin', 'license-admin'], { path: '/imports' });
  await page.getByText(/^A directory sync run/).click();
  await expect(page.getByRole('radio', { name: /A directory sync run/ })).toBeChecked();
  await page.getByLabel('Directory', { exact: true }).fill(directory);
  const people = ['una', 'vic', 'wes'].map((name) => `${name}-${area}@example.com`);
  await page.locator('input[type=file]').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['email,name,area', ...people.map((email) => `${email},${email.split('-')[0]},${area}`)].join('\n') + '\n'),
  });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.locator('.job-status')).toContainText('Finished', { timeout: 30_000 });
  await expect(page.locator('dl[aria-label="Counts"] dt:text-is("Waiting for a licence") + dd')).toHaveText('2');

  await openPage(page, '/waiting');
  await pick(page, 'Area', area);
  const list = page.getByRole('table', { name: 'Waiting for a licence' });
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list.getByRole('row', { name: new RegExp(people[1]!) })).toContainText(`a directory sync file (${directory})`);
  await expect(list.getByRole('row', { name: new RegExp(people[1]!) })).toContainText('1');

  // A seat more, then the run: the oldest waiting gets it, and the page says who.
  expect((await callApi('PUT', `/license/areas/${area}`, { body: { limit: 2 } })).status).toBe(200);
  await page.getByRole('button', { name: `Activate now in ${area}` }).click();
  const outcome = page.getByRole('status').filter({ hasText: 'got a seat' });
  await expect(outcome).toContainText('1 got a seat');
  await expect(outcome).toContainText(`${people[1]} (${area})`);
  await expect(outcome).toContainText(`${area}: 1 still waiting, 0 free seats.`);
  await expect(list.getByRole('row')).toHaveCount(2);
});

test('export: choose area and state, download the CSV', async ({ page }) => {
  const area = await newArea('pw-export', 5);
  for (const name of ['xia', 'yan']) await callApi('POST', '/users', { body: { email: `${name}-${area}@example.com`, name, area } });
  const blocked = await callApi('POST', '/users', { body: { email: `zed-${area}@example.com`, area } });
  await callApi('POST', `/users/${blocked.body.user.id}/block`);

  await signIn(page, ['people-admin'], { path: '/export' });
  await pick(page, 'Area', area);
  await pick(page, 'State', 'Active');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 people exported' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the CSV' }).click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(`xia-${area}@example.com`);
  expect(text).toContain(`yan-${area}@example.com`);
  expect(text).not.toContain(`zed-${area}@example.com`);
});
