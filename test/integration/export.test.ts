/**
 * GET /export through the local front door: the CSV in S3 behind a presigned
 * URL, its columns and state column, filters, formula neutralising and BOM.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify';
import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { blockUser, createUser, type NewUser } from '#core/people.ts';
import { JOBS_BY_KIND_INDEX, tableName } from '#core/tables.ts';
import { PEOPLE_CSV_COLUMNS, peopleCsvOptions, toPeopleCsvRow } from '../../functions/export/peopleCsv.ts';
import { freshArea, uniqueEmail } from '../support/seats.ts';
import { useLocalApi } from '../support/localApi.ts';

const api = useLocalApi();

const create = (area: string, fields: Partial<NewUser> = {}) =>
  createUser({ email: uniqueEmail(), area, source: 'api', ...fields }, fields.source === 'sync' ? 'wait' : 'refuse');

async function exportCsv(query: string, groups = ['people-admin']) {
  const response = await api('GET', `/export${query}`, { groups });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const download = await fetch(response.body.url);
  expect(download.status).toBe(200);
  const bytes = Buffer.from(await download.arrayBuffer());
  const rows = parse<Record<string, string>>(bytes, { bom: true, columns: true });
  return { response, download, bytes, rows };
}

describe('GET /export', () => {
  it('writes every user of the area with its account state, reason, exempt flag and roles', async () => {
    const area = await freshArea(2, 'x');
    const active = await create(area, { name: 'Zoë Müller-Łukasiewicz', roles: ['people-admin', 'auditor'] });
    const blocked = await blockUser((await create(area, { name: 'Bo Blocked' })).id);
    const exempt = await create(area, { name: 'Support Desk', exempt: true });
    await create(area, { name: 'Filler' });
    const waiting = await create(area, { name: 'Wanda Waiting', source: 'sync' });
    expect(waiting).toMatchObject({ state: 'blocked', blockedReason: 'license' });

    const started = Date.now();
    const { response, download, rows } = await exportCsv(`?area=${area}`);
    expect(response.body).toEqual({ url: expect.any(String), expiresAt: expect.any(String), rows: 5 });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const expiresIn = Date.parse(response.body.expiresAt) - started;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    // A SigV4 presigned GET of an unguessable key in the exports bucket. (s3rver checks the expiry but
    // not V4 signatures and serves anonymous reads: privacy is the AWS bucket's BlockPublicAccess.)
    const url = new URL(response.body.url);
    expect(url.origin).toBe(new URL(process.env.S3_ENDPOINT!).origin);
    expect(url.pathname).toMatch(/^\/seatkeeper-exports\/people\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}\.csv$/);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(download.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="seatkeeper-people-${area}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );

    expect(Object.keys(rows[0]!)).toEqual([...PEOPLE_CSV_COLUMNS]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(active.id)).toEqual({
      id: active.id,
      email: active.email,
      name: 'Zoë Müller-Łukasiewicz',
      area,
      'account state': 'Yes',
      'blocked reason': '',
      exempt: 'No',
      roles: 'people-admin;auditor',
      source: 'api',
      created: active.createdAt,
      updated: active.updatedAt,
    });
    expect(byId.get(blocked.id)).toMatchObject({
      'account state': 'No',
      'blocked reason': 'admin',
      exempt: 'No',
      updated: blocked.updatedAt,
    });
    expect(byId.get(exempt.id)).toMatchObject({ 'account state': 'Yes', 'blocked reason': '', exempt: 'Yes' });
    expect(byId.get(waiting.id)).toMatchObject({ 'account state': 'No', 'blocked reason': 'license', source: 'sync' });
  });

  it('is UTF-8 with a byte-order mark and CRLF line ends', async () => {
    const area = await freshArea(1, 'x');
    await create(area, { name: 'Émile Ñoño 山田' });
    const { bytes } = await exportCsv(`?area=${area}`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith(`${PEOPLE_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain('Émile Ñoño 山田');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('filters by state with the index key range, and by area', async () => {
    const area = await freshArea(3, 'x');
    const other = await freshArea(3, 'x');
    const active = await create(area);
    const exempt = await create(area, { exempt: true });
    const blocked = await blockUser((await create(area)).id);
    const elsewhere = await create(other);

    const onlyActive = await exportCsv(`?area=${area}&state=active`);
    expect(onlyActive.response.body.rows).toBe(2);
    expect(onlyActive.rows.map((r) => r.id).sort()).toEqual([active.id, exempt.id].sort());
    const onlyBlocked = await exportCsv(`?area=${area}&state=blocked`);
    expect(onlyBlocked.rows.map((r) => r.id)).toEqual([blocked.id]);
    expect(onlyBlocked.rows.every((r) => r['account state'] === 'No')).toBe(true);

    // Every area, area by area: both of ours are in it, blocked users are not.
    const allActive = await exportCsv('?state=active');
    const ids = new Set(allActive.rows.map((r) => r.id));
    expect(ids.has(active.id) && ids.has(exempt.id) && ids.has(elsewhere.id)).toBe(true);
    expect(ids.has(blocked.id)).toBe(false);
    expect(allActive.rows.every((r) => r['account state'] === 'Yes')).toBe(true);
    expect(allActive.response.body.rows).toBe(allActive.rows.length);
  });

  it('exports an empty area as a header-only file', async () => {
    const area = await freshArea(1, 'x');
    const { response, bytes } = await exportCsv(`?area=${area}`);
    expect(response.body.rows).toBe(0);
    expect(bytes.subarray(3).toString('utf8')).toBe(`${PEOPLE_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const area = await freshArea(10, 'x');
    const names = ['=HYPERLINK("http://evil.example","Click")', '+1+1', '-2+3', '@SUM(A1:A9)', '＝1+1', 'Ann = Bob', "O'Neil"];
    const users = await Promise.all(names.map((name) => create(area, { name })));
    const { rows } = await exportCsv(`?area=${area}`);
    const nameOf = new Map(rows.map((row) => [row.id, row.name]));
    expect(users.map((user) => nameOf.get(user.id))).toEqual([
      `'=HYPERLINK("http://evil.example","Click")`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A9)",
      "'＝1+1",
      'Ann = Bob',
      "O'Neil",
    ]);
  });

  it('quotes a lone line break inside a name, so a row never splits and no half of it starts a formula', async () => {
    const area = await freshArea(10, 'x');
    const names = ['Bob\n=1+2', 'Bob\r@SUM(9)', 'Two\r\nLines'];
    const users = [];
    for (const name of names) users.push(await create(area, { name }));
    const { bytes, rows } = await exportCsv(`?area=${area}`);
    expect(rows.map((row) => [row.id, row.name, row.area])).toEqual(users.map((user, i) => [user.id, names[i], area]));
    // Read as Excel and Python's csv do, where any line break outside quotes ends a row: none splits.
    const records = parse(bytes, { bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] });
    expect(records.map((cells) => cells.length)).toEqual(Array(names.length + 1).fill(PEOPLE_CSV_COLUMNS.length));
  });

  it('neutralises leading tab and CR too (names are trimmed on the way in, so the writer is checked directly)', async () => {
    const user = { ...(await create(await freshArea(1, 'x'))), name: '\tcmd', email: '\r=1@example.com' };
    const text = await new Promise<string>((resolve, reject) =>
      stringify([toPeopleCsvRow(user)], peopleCsvOptions, (error, output) => (error ? reject(error) : resolve(output))),
    );
    const [row] = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(row).toMatchObject({ name: "'\tcmd", email: "'\r=1@example.com" });
  });

  it('records who exported what in the jobs table, with the file expiring', async () => {
    const area = await freshArea(1, 'x');
    await create(area);
    const { response } = await exportCsv(`?area=${area}&state=active`);
    const key = decodeURIComponent(new URL(response.body.url).pathname.split('/').slice(2).join('/'));
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: tableName('jobs'),
        IndexName: JOBS_BY_KIND_INDEX,
        KeyConditionExpression: 'kind = :kind',
        FilterExpression: '#key = :key',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':kind': 'export', ':key': key },
        ScanIndexForward: false,
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ area, state: 'active', rows: 1, requestedBy: 'local-admin' });
    const lifetime = Number(Items[0]!.expiresAt) * 1000 - Date.parse(String(Items[0]!.createdAt));
    // The record outlives the file (bucket lifecycle: expireAfterDays = 1, rounded up to the next midnight UTC).
    expect(Math.abs(lifetime - 2 * 24 * 60 * 60 * 1000)).toBeLessThan(1000);
  });

  it('refuses other roles, unknown areas and unknown filters', async () => {
    expect((await api('GET', '/export', { groups: ['license-admin'] })).status).toBe(403);
    const unknown = await api('GET', '/export?area=no-such-area-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('AREA_NOT_FOUND');
    const badState = await api('GET', '/export?state=pending');
    expect(badState.status).toBe(400);
    expect(badState.body.error.code).toBe('INVALID_REQUEST');
    expect((await api('GET', '/export?limit=5')).status).toBe(400);
  });
});
