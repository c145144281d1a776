/**
 * The job API: POST /imports hands out a presigned PUT URL, the file goes
 * straight to S3, the import function runs on S3's event, GET /imports/{id}
 * shows the job and links its report, GET /imports lists jobs newest first.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { s3 } from '#clients/s3.ts';
import { jobIdForKey } from '#core/importJobRecord.ts';
import { objectCreatedEvent } from '../../infra/local/s3Events.ts';
import { useLocalApi } from '../support/localApi.ts';
import { freshArea, usersInArea } from '../support/seats.ts';
import { csv, emails, importFile, importsBucket, keyIn, runImport } from './importKit.ts';

const api = useLocalApi();

describe('POST /imports → PUT → S3 event → GET /imports/{id}', () => {
  it('uploads through the presigned URL without bucket credentials and reports the job', async () => {
    const area = await freshArea(2);
    const body = csv([['email'], ...emails(3).map((e) => [e])]);
    const size = Buffer.byteLength(body);
    const created = await api('POST', '/imports', { body: { kind: 'upload', fileName: 'New hires (Nov).csv', size, area } });
    expect(created.status).toBe(201);
    const { id, key, bucket, upload } = created.body;
    expect(key).toMatch(new RegExp(`^imports/${area}/\\d{8}T\\d{6}Z-[0-9a-f]{8}/New hires \\(Nov\\)\\.csv$`));
    expect(id).toBe(jobIdForKey(key));
    expect(created.headers.get('location')).toBe(`/imports/${id}`);
    expect(upload).toMatchObject({
      method: 'PUT',
      url: expect.stringContaining('X-Amz-Signature='),
      headers: { 'content-length': String(size) },
    });

    expect((await api('GET', `/imports/${id}`)).body.error.code).toBe('IMPORT_NOT_FOUND');

    const put = await fetch(upload.url, { method: 'PUT', body });
    expect(put.status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    await runImport(objectCreatedEvent({ bucket, key, size: Number(head.ContentLength), eTag: head.ETag! }));

    const got = await api('GET', `/imports/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.job).toMatchObject({
      status: 'succeeded',
      mode: 'upload',
      area,
      key,
      attempts: 1,
      counts: { rows: 3, created: 2, rejected: 1 },
      byReason: { SEAT_LIMIT_REACHED: 1 },
      // The upload's own report: the second part of the job id names the upload.
      report: { key: `reports/${key}.${got.body.job.id.split('.')[1]}.csv`, url: expect.stringContaining('X-Amz-Signature=') },
    });
    const report = parse<Record<string, string>>(await (await fetch(got.body.job.report.url)).text(), { columns: true });
    expect(report.map((r) => r.outcome)).toEqual(['created', 'created', 'rejected']);
    // The full id names exactly this upload.
    expect((await api('GET', `/imports/${got.body.job.id}`)).body.job.id).toBe(got.body.job.id);
    expect(await usersInArea(area)).toHaveLength(2);
  });

  it("the upload URL signs the declared length and no checksum (an empty body's would not match the file); a plain PUT of the file works", async () => {
    const body = Buffer.from(csv([['email'], ...emails(2).map((e) => [e])]));
    const created = await api('POST', '/imports', {
      body: { kind: 'upload', fileName: 'people.csv', size: body.byteLength, area: await freshArea(1) },
    });
    const { url } = created.body.upload;
    const parameters = [...new URL(url).searchParams.keys()].map((name) => name.toLowerCase());
    expect(parameters.filter((name) => name.startsWith('x-amz-checksum') || name === 'x-amz-sdk-checksum-algorithm')).toEqual([]);
    // S3 checks every signed header: a PUT of any other length fails. (s3rver does not check V4 signatures.)
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    // What `curl -T people.csv "$url"` sends: the bytes and their length, no checksum header, no content type.
    const put = await fetch(url, { method: 'PUT', body });
    expect(put.status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: created.body.bucket, Key: created.body.key }));
    expect(head.ContentLength).toBe(body.byteLength);
  });

  it("each upload under a key keeps its own report: a re-upload does not overwrite the earlier job's", async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const [a, b] = emails(2);
    const first = await importFile(key, csv([['email'], [a!]]));
    const second = await importFile(key, csv([['email'], [a!], [b!]]));
    expect(second.id).not.toBe(first.id);
    const reportOf = async (id: string) => {
      const { job } = (await api('GET', `/imports/${id}`)).body;
      const rows = parse<Record<string, string>>(await (await fetch(job.report.url)).text(), { columns: true });
      return { key: job.report.key, rows: rows.map((r) => `${r.email} ${r.outcome}`) };
    };
    const firstReport = await reportOf(first.id);
    const secondReport = await reportOf(second.id);
    expect(firstReport.rows).toEqual([`${a} created`]);
    expect(secondReport.rows).toEqual([`${a} exists`, `${b} created`]);
    expect(firstReport.key).not.toBe(secondReport.key);
    // The key's own id names the latest upload.
    expect(await reportOf(jobIdForKey(key))).toEqual(secondReport);
  });

  it('sync uploads go to the directory folder', async () => {
    const created = await api('POST', '/imports', { body: { kind: 'sync', directory: 'okta', fileName: 'okta-users.csv', size: 1000 } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sync\/okta\/\d{8}T\d{6}Z-[0-9a-f]{8}\/okta-users\.csv$/);
  });

  it.each([
    [{ kind: 'upload', fileName: 'people.xlsx', size: 10 }, 'fileName'],
    [{ kind: 'upload', fileName: '../etc/people.csv', size: 10 }, 'fileName'],
    [{ kind: 'upload', fileName: 'people.csv' }, 'size'],
    [{ kind: 'upload', fileName: 'people.csv', size: 0 }, 'size'],
    [{ kind: 'upload', fileName: 'people.csv', size: 10.5 }, 'size'],
    [{ kind: 'upload', fileName: 'people.csv', size: '10' }, 'size'],
    [{ kind: 'sync', fileName: 'people.csv', size: 10 }, 'directory'],
    [{ kind: 'sync', directory: 'Okta Prod', fileName: 'people.csv', size: 10 }, 'directory'],
    [{ kind: 'upload', fileName: 'people.csv', size: 10, directory: 'okta' }, 'directory'],
    [{ fileName: 'people.csv', size: 10 }, 'kind'],
  ])('refuses %j (%s)', async (body, field) => {
    const response = await api('POST', '/imports', { body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_REQUEST');
    expect(JSON.stringify(response.body.error.details.issues)).toContain(field);
  });

  it('refuses a file over the import size limit before it is uploaded', async () => {
    const area = await freshArea(1);
    const response = await api('POST', '/imports', { body: { kind: 'upload', fileName: 'everyone.csv', size: 60 * 1024 * 1024, area } });
    expect(response.status).toBe(413);
    expect(response.body.error).toEqual({
      code: 'FILE_TOO_LARGE',
      message: 'The file is 60 MB; imports take files up to 50 MB. Split it into smaller files and upload each.',
      details: { size: 60 * 1024 * 1024, maxBytes: 50 * 1024 * 1024 },
    });
    // The limit itself is fine.
    expect(
      (await api('POST', '/imports', { body: { kind: 'upload', fileName: 'everyone.csv', size: 50 * 1024 * 1024, area } })).status,
    ).toBe(201);
  });

  it('refuses an area that does not exist, and callers without the people-admin role', async () => {
    expect(
      (await api('POST', '/imports', { body: { kind: 'upload', fileName: 'a.csv', size: 10, area: 'no-such-area' } })).body.error.code,
    ).toBe('AREA_NOT_FOUND');
    expect(
      (await api('POST', '/imports', { body: { kind: 'upload', fileName: 'a.csv', size: 10 }, groups: ['license-admin'] })).status,
    ).toBe(403);
    expect((await api('GET', '/imports', { groups: ['license-admin'] })).status).toBe(403);
    expect((await api('GET', '/imports/abc', { token: null })).status).toBe(401);
  });
});

describe('GET /imports', () => {
  it('lists jobs newest first, a page at a time', async () => {
    const area = await freshArea(10);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const key = keyIn(`imports/${area}`);
      await importFile(key, csv([['email'], ...emails(1).map((e) => [e])]));
      keys.push(key);
    }
    // Other test files import at the same time: walk every page, then look at where ours are.
    const seen: { id: string; key: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api('GET', `/imports?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(new Set(seen.map((j) => j.id)).size).toBe(seen.length);
    const createdAt = seen.map((j) => j.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());
    const positions = keys.map((key) => seen.findIndex((j) => j.key === key));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions[2]).toBeLessThan(positions[1]!);
    expect(positions[1]).toBeLessThan(positions[0]!);
    expect((await api('GET', '/imports?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    // Made by hand from a real one: extra fields or keys DynamoDB refuses are a 400 too, never a 500.
    const real = JSON.parse(Buffer.from(String((await api('GET', '/imports?limit=1')).body.nextCursor), 'base64url').toString('utf8'));
    const handMade = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
    for (const cursor of [{ ...real, extra: 'x' }, { ...real, pk: '' }, { ...real, sk: 'x'.repeat(1100) }, null]) {
      const response = await api('GET', `/imports?cursor=${handMade(cursor)}`);
      expect(response.status, JSON.stringify(cursor)).toBe(400);
      expect(response.body.error.code).toBe('INVALID_REQUEST');
    }
    expect((await api('GET', '/imports?limit=0')).status).toBe(400);
  });

  it('a job keeps the bucket it came from', async () => {
    const key = keyIn(`imports/${await freshArea(1)}`);
    await importFile(key, csv([['email'], ...emails(1).map((e) => [e])]));
    const got = await api('GET', `/imports/${jobIdForKey(key)}`);
    expect(got.body.job).toMatchObject({ bucket: importsBucket(), key });
  });
});
