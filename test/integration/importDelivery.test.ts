/**
 * At-least-once delivery: S3 may deliver an event twice, late, or at the same
 * time; a Lambda may die mid-file. The job record (keyed by bucket, key and
 * version) and its lease make every case safe: counters always equal the users.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamodb } from '#clients/dynamodb.ts';
import { s3 } from '#clients/s3.ts';
import { readArea } from '#core/seatCounter.ts';
import { findJob, jobIdForKey } from '#core/importJobRecord.ts';
import { decodeEventKey } from '../../functions/import/importTarget.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { freshArea, usersInArea, expectInvariant } from '../support/seats.ts';
import { intercept, outageAt } from '../support/sdkHooks.ts';
import { csv, dropFile, emails, importsBucket, job, keyIn, readReport, runImport } from './importKit.ts';

const peopleFile = (people: string[]) => csv([['email', 'name'], ...people.map((email, i) => [email, `Person ${i}`])]);

afterEach(() => {
  delete process.env.IMPORT_LEASE_SECONDS;
  delete process.env.IMPORT_BUSY_POLL_MS;
});

describe('duplicate, late and concurrent deliveries', () => {
  it('a second delivery of the same event does nothing', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const event = await dropFile(key, peopleFile(emails(4)));
    const first = await runImport(event);
    const before = await readArea(area);
    const again = await runImport(event);
    expect(again.jobs).toEqual(first.jobs);
    expect(await job(key)).toMatchObject({ status: 'succeeded', attempts: 1, counts: { created: 4 } });
    expect(await readArea(area)).toEqual(before);
    expect(await usersInArea(area)).toHaveLength(4);
  });

  it('deliveries of one event at the same time run the file once', async () => {
    process.env.IMPORT_BUSY_POLL_MS = '100';
    const area = await freshArea(500);
    const key = keyIn(`imports/${area}`);
    const people = emails(300);
    const event = await dropFile(key, peopleFile(people));
    const results = await Promise.all([runImport(event), runImport(event), runImport(event)]);
    const ids = new Set(results.map((r) => r.jobs[0]!.id));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.jobs[0]!.status === 'succeeded')).toBe(true);
    expect(await job(key)).toMatchObject({ attempts: 1, counts: { rows: 300, created: 300 } });
    expect(await readReport(key)).toHaveLength(300);
    expect((await usersInArea(area)).map((u) => u.email).sort()).toEqual(people);
    await expectInvariant(area);
  });

  it('a re-upload of the same file is a new job whose rows already exist and use no seat', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const file = peopleFile(emails(3));
    const firstEvent = await dropFile(key, file);
    await runImport(firstEvent);
    const first = await job(key);
    const before = await readArea(area);

    await runImport(await dropFile(key, file));
    const second = await job(key);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({
      status: 'succeeded',
      counts: { rows: 3, created: 0, skippedExisting: 3 },
      byReason: { ALREADY_EXISTS: 3 },
    });
    expect((await readReport(key)).map((r) => r.reason)).toEqual(['ALREADY_EXISTS', 'ALREADY_EXISTS', 'ALREADY_EXISTS']);
    expect(await readArea(area)).toEqual(before);

    // The first upload's event, delivered late: still a no-op, and the first job unchanged.
    await runImport(firstEvent);
    expect(await findJob(first.id)).toEqual(first);
    await expectInvariant(area);
  });

  it('an upload replaced before its event is read is skipped SUPERSEDED; the newer upload imports on its own', async () => {
    // s3rver ignores If-Match, so the older event's GetObject returns the newer object: the ETag it answers must be checked.
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const older = emails(2);
    const newer = emails(3);
    const olderEvent = await dropFile(key, peopleFile(older));
    const newerEvent = await dropFile(key, peopleFile(newer));

    const result = await runImport(olderEvent);
    expect(result.jobs).toEqual([expect.objectContaining({ status: 'skipped', failure: expect.objectContaining({ code: 'SUPERSEDED' }) })]);
    const skipped = await job(key);
    expect(skipped).toMatchObject({
      status: 'skipped',
      counts: { rows: 0, created: 0 },
      failure: { code: 'SUPERSEDED', message: expect.stringContaining('replaced by a newer upload before it was read') },
    });
    expect(await readReport(key)).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'SUPERSEDED' })]);
    expect(await usersInArea(area)).toEqual([]);
    expect(await readArea(area)).toMatchObject({ active: 0, blocked: 0 });

    await runImport(newerEvent);
    const imported = await job(key);
    expect(imported.id).not.toBe(skipped.id);
    expect(imported).toMatchObject({ status: 'succeeded', counts: { created: 3 } });
    expect((await usersInArea(area)).map((u) => u.email).sort()).toEqual(newer);
    expect(await findJob(skipped.id)).toMatchObject({ status: 'skipped' });
    await expectInvariant(area);
  });

  it.each([
    ['an ETag', undefined],
    // s3rver keeps no versions and answers none: the bytes pass 1 read are what pass 2 compares with.
    ['a version the engine does not keep', 'version-the-event-names'],
  ])(
    'a file replaced between its two passes (event naming %s) is skipped SUPERSEDED as changed during the import',
    async (_, versionId) => {
      const area = await freshArea(10);
      const key = keyIn(`imports/${area}`);
      const event = await dropFile(key, peopleFile(emails(2)));
      if (versionId) event.Records[0]!.s3.object.versionId = versionId;
      // Pass 1 reads the upload; the replacement lands before pass 2 opens it.
      let reads = 0;
      const replaceBetweenPasses = intercept(s3, async (command, _input, send) => {
        if (command === 'GetObjectCommand' && ++reads === 2) await dropFile(key, peopleFile(emails(3)));
        return send();
      });
      await runImport(event).finally(replaceBetweenPasses.remove);
      expect(reads).toBe(2);
      expect(await job(key)).toMatchObject({
        status: 'skipped',
        failure: { code: 'SUPERSEDED', message: expect.stringContaining('changed while it was being imported') },
      });
      expect(await usersInArea(area)).toEqual([]);
    },
  );

  it('an object whose version is not the one the event names is skipped SUPERSEDED (VersionId checked, not only requested)', async () => {
    const area = await freshArea(10);
    const key = keyIn(`imports/${area}`);
    const event = await dropFile(key, peopleFile(emails(2)));
    event.Records[0]!.s3.object.versionId = 'version-the-event-names';
    // An engine that answers another version than the one asked for (s3rver keeps none; S3 never should).
    const otherVersion = intercept(s3, async (command, _input, send) => {
      const answer = await send();
      if (command === 'GetObjectCommand') answer.output.VersionId = 'a-newer-version';
      return answer;
    });
    await runImport(event).finally(otherVersion.remove);
    expect(await job(key)).toMatchObject({ status: 'skipped', failure: { code: 'SUPERSEDED' } });
    expect(await usersInArea(area)).toEqual([]);
  });

  it('two different files imported at the same time into one area never exceed its limit', async () => {
    const area = await freshArea(50);
    const [a, b] = [emails(40), emails(40)];
    const [keyA, keyB] = [keyIn(`imports/${area}`), keyIn(`imports/${area}`)];
    const events = await Promise.all([dropFile(keyA, peopleFile(a)), dropFile(keyB, peopleFile(b))]);
    await Promise.all(events.map(runImport));
    const [jobA, jobB] = [await job(keyA), await job(keyB)];
    expect(jobA.counts!.created + jobB.counts!.created).toBe(50);
    expect(jobA.counts!.rejected + jobB.counts!.rejected).toBe(30);
    expect(await readArea(area)).toMatchObject({ active: 50, available: 0 });
    await expectInvariant(area);
  });

  it('two files listing the same people at the same time create each person once', async () => {
    const area = await freshArea(100);
    const people = emails(60);
    const [keyA, keyB] = [keyIn(`imports/${area}`), keyIn(`imports/${area}`)];
    const events = await Promise.all([dropFile(keyA, peopleFile(people)), dropFile(keyB, peopleFile([...people].reverse()))]);
    await Promise.all(events.map(runImport));
    const [jobA, jobB] = [await job(keyA), await job(keyB)];
    expect(jobA.counts!.created + jobB.counts!.created).toBe(60);
    expect(jobA.counts!.skippedExisting + jobB.counts!.skippedExisting).toBe(60);
    expect(await usersInArea(area)).toHaveLength(60);
    await expectInvariant(area);
  });
});

describe('interrupted imports', () => {
  it('an error mid-file releases the job; the retry finishes it and reports rows the first attempt wrote', async () => {
    const area = await freshArea(500);
    const key = keyIn(`imports/${area}`);
    const event = await dropFile(key, peopleFile(emails(300)));
    const outage = outageAt(dynamodb, 'TransactWriteItemsCommand', 3);
    await expect(runImport(event).finally(outage.remove)).rejects.toThrow('injected outage');
    expect(await job(key)).toMatchObject({
      status: 'interrupted',
      attempts: 1,
      lastError: expect.stringMatching(/^ServiceUnavailable during writing/),
    });
    expect(await usersInArea(area)).toHaveLength(98);

    await runImport(event);
    const done = await job(key);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, counts: { rows: 300, created: 202, skippedExisting: 98 } });
    expect(done.byReason).toEqual({ WRITTEN_BY_EARLIER_ATTEMPT: 98 });
    const report = await readReport(key);
    expect(report.slice(0, 98).every((r) => r.outcome === 'exists' && r.reason === 'WRITTEN_BY_EARLIER_ATTEMPT')).toBe(true);
    expect(await readArea(area)).toMatchObject({ active: 300 });
    await expectInvariant(area);
  });

  it('a report upload that fails mid-file fails the attempt (it does not wait for ever); the retry finishes the job', async () => {
    const area = await freshArea(1);
    const key = keyIn(`imports/${area}`);
    // 20,000 rejected rows echoing long cells: a report of several 5 MB parts, and no user written.
    const long = 'x'.repeat(400);
    const event = await dropFile(key, csv([['email', 'name'], ...Array.from({ length: 20_000 }, (_, i) => [`${long}${i}`, `P ${i}`])]));
    const reportPartFails = outageAt(s3, 'UploadPartCommand', 1);
    // (s3rver then refuses lib-storage's AbortMultipartUpload, whose error is the one surfaced here.)
    await expect(runImport(event).finally(reportPartFails.remove)).rejects.toThrow();
    expect(await job(key)).toMatchObject({ status: 'interrupted', attempts: 1 });

    await runImport(event);
    expect(await job(key)).toMatchObject({ status: 'succeeded', attempts: 2, counts: { rows: 20_000, rejected: 20_000, created: 0 } });
    expect(await readReport(key)).toHaveLength(20_000);
  });

  it('a Lambda killed mid-file: a later delivery waits for the lease to run out, then takes the job over', async () => {
    process.env.IMPORT_LEASE_SECONDS = '2';
    process.env.IMPORT_BUSY_POLL_MS = '200';
    const area = await freshArea(1500);
    const key = keyIn(`imports/${area}`);
    const people = emails(1500);
    const event = await dropFile(key, peopleFile(people));

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/importCrashChild.ts', JSON.stringify(event)], {
      env: { ...process.env, IMPORT_LEASE_SECONDS: '2' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const deadline = Date.now() + 30_000;
      while ((await usersInArea(area)).length < 98) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('the import child never got going');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const written = (await usersInArea(area)).length;
    expect(written).toBeLessThan(1500);
    expect(await job(key)).toMatchObject({ status: 'running', attempts: 1 });

    const started = Date.now();
    await runImport(event);
    expect(Date.now() - started).toBeLessThan(20_000);
    const done = await job(key);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(done.counts!.created + done.byReason!.WRITTEN_BY_EARLIER_ATTEMPT!).toBe(1500);
    expect(done.byReason!.WRITTEN_BY_EARLIER_ATTEMPT).toBeGreaterThanOrEqual(written);
    const report = await readReport(key);
    expect(report.map((r) => r.email)).toEqual(people);
    expect(await readArea(area)).toMatchObject({ active: 1500, available: 0 });
    await expectInvariant(area);
  }, 60_000);
});

describe('keys and events as S3 sends them', () => {
  it('decodes URL-encoded keys: + is a space, %2B a plus', async () => {
    const area = await freshArea(5);
    const key = `imports/${area}/Q4 hires (draft) + Zoë & co.csv`;
    const event = await dropFile(key, peopleFile(emails(2)));
    const encoded = event.Records[0]!.s3.object.key;
    expect(encoded).toBe(`imports/${area}/Q4+hires+%28draft%29+%2B+Zo%C3%AB+%26+co.csv`);
    expect(decodeEventKey(encoded)).toBe(key);
    await runImport(event);
    const imported = await job(key);
    expect(imported).toMatchObject({
      status: 'succeeded',
      key,
      reportKey: `reports/${key}.${imported.id.split('.')[1]}.csv`,
      counts: { created: 2 },
    });
    expect(await readReport(key)).toHaveLength(2);
  });

  it('ignores objects outside imports/ and sync/, folder markers and removals', async () => {
    const reportEvent = await dropFile('reports/imports/whatever.csv', 'line,email\n');
    expect(await runImport(reportEvent)).toEqual({ jobs: [] });
    const folder = await dropFile('imports/some-folder/', '');
    expect(await runImport(folder)).toEqual({ jobs: [] });
    const removed = structuredClone(reportEvent);
    removed.Records[0]!.eventName = 'ObjectRemoved:Delete';
    removed.Records[0]!.s3.object.key = 'imports/gone.csv';
    expect(await runImport(removed)).toEqual({ jobs: [] });
    expect(await findJob(jobIdForKey('imports/gone.csv'))).toBeUndefined();
  });

  it('a file deleted before its event is handled fails with FILE_NOT_FOUND', async () => {
    const key = keyIn(`imports/${await freshArea(5)}`);
    const event = await dropFile(key, peopleFile(emails(1)));
    await s3.send(new DeleteObjectCommand({ Bucket: importsBucket(), Key: key }));
    await runImport(event);
    expect(await job(key)).toMatchObject({ status: 'failed', failure: { code: 'FILE_NOT_FOUND' } });
  });

  it("events/import-s3-put.json (a versioned bucket's event) runs through the import function", async () => {
    const event = JSON.parse(readFileSync('events/import-s3-put.json', 'utf8'));
    const key = decodeEventKey(event.Records[0].s3.object.key);
    expect(key).toBe('imports/primary/New hires (November).csv');
    await s3.send(new PutObjectCommand({ Bucket: event.Records[0].s3.bucket.name, Key: key, Body: peopleFile(emails(2)) }));
    const result = (await (await loadHandler('import'))(event, lambdaContext('import'))) as { jobs: { status: string }[] };
    expect(result.jobs).toEqual([expect.objectContaining({ status: 'succeeded', counts: expect.objectContaining({ created: 2 }) })]);
    expect(await job(key)).toMatchObject({ versionId: event.Records[0].s3.object.versionId, area: 'primary' });
  });
});
