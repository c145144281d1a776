/**
 * Limit alerts: real changes to the seat counters, read back from DynamoDB
 * Local's stream, run through the notifier, and the mail the SES emulator
 * received. Each test owns its areas and recipient addresses (the SES store is
 * shared by every test file, so nothing is cleared: mail is found by address).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import type { SendEmailCommandInput } from '@aws-sdk/client-ses';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { logger } from '#commons/logger.ts';
import { ses } from '#clients/ses.ts';
import { setAreaLimit } from '#core/license.ts';
import { blockUser, createUser, deleteUser, updateUser, type NewUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { tableName } from '#core/tables.ts';
import { claimDelivery, deliveryKey, DELIVERY_LEASE_MS } from '../../functions/notify/alertState.ts';
import { createNotifier } from '../../functions/notify/handler.ts';
import { seatChangeOf } from '../../functions/notify/seatChange.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { openStreamReader, type StreamReader } from '../../infra/local/streamPoller.ts';
import { freshArea, uniqueEmail } from '../support/seats.ts';
import { intercept } from '../support/sdkHooks.ts';

interface SentEmail {
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

/** Everything the SES emulator received for `address` about `area`, oldest first. */
async function mailFor(address: string, area: string): Promise<SentEmail[]> {
  const store = (await (await fetch(`${process.env.SES_ENDPOINT}/store`)).json()) as { emails: SentEmail[] };
  return store.emails.filter((email) => email.destination.to.includes(address) && email.subject.includes(`"${area}"`));
}

const kindOf = (email: SentEmail) =>
  email.subject.startsWith('Seatkeeper reminder')
    ? 'reminder'
    : email.subject.includes('reached its licence limit')
      ? 'full'
      : email.subject.includes('waiting for a licence')
        ? 'pending'
        : email.subject.includes('% of its licence limit')
          ? 'warning'
          : 'other';

const kindsFor = async (address: string, area: string) => (await mailFor(address, area)).map(kindOf);

// --- the stream, read for real -------------------------------------------------------------

let reader: StreamReader;
const unclaimed = new Map<string, DynamoDBRecord[]>();

beforeAll(async () => {
  reader = await openStreamReader(tableName('seats'));
});
afterAll(() => reader.close());

/** The stream records the seat counters of `area` produced since the last call, in order. */
async function changesOf(area: string): Promise<DynamoDBRecord[]> {
  for (const record of await reader.readAll()) {
    const key = record.dynamodb?.Keys?.area?.S ?? '';
    unclaimed.set(key, [...(unclaimed.get(key) ?? []), record]);
  }
  const records = unclaimed.get(area) ?? [];
  unclaimed.delete(area);
  return records;
}

/** Runs the notifier on `records` in batches, as the event source mapping would (with `context`, as Lambda would: time left to wait); returns the reported failures. */
async function notify(records: DynamoDBRecord[], options: { now?: () => Date; batchSize?: number; context?: Context } = {}) {
  const handler = createNotifier({ now: options.now });
  const failures: string[] = [];
  const size = options.batchSize ?? 100;
  for (let i = 0; i < records.length; i += size) {
    const response = await handler({ Records: records.slice(i, i + size) }, options.context);
    failures.push(...response.batchItemFailures.map((failure) => failure.itemIdentifier));
  }
  return failures;
}

const alertState = async (area: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: tableName('jobs'), Key: { pk: `alert#${area}`, sk: 'state' }, ConsistentRead: true }),
    )
  ).Item;

const create = (area: string, fields: Partial<NewUser> = {}) =>
  createUser({ email: uniqueEmail(), area, source: 'api', ...fields }, fields.source === 'sync' ? 'wait' : 'refuse');

const fill = (area: string, attempts: number) => Promise.allSettled(Array.from({ length: attempts }, () => create(area)));

// --- recipients ------------------------------------------------------------------------------

let configured: string[];
beforeEach(() => {
  // Any address the API accepts is a recipient too, `&` included.
  configured = [uniqueEmail('alerts'), uniqueEmail('ops&licences')];
  process.env.ALERT_EMAILS = configured.join(', ');
  process.env.ALERT_SENDER = 'Seatkeeper <seatkeeper@example.org>';
  process.env.LICENSE_REQUEST_URL = 'https://licences.example.org/request?product=seatkeeper&x=<y>';
  delete process.env.ALERT_WARNING_SHARE;
});

/**
 * A one-seat area alerting only when full, just filled by one create: its stream records, the
 * record that filled it, and the delivery key of its full alert to the first configured address.
 */
async function justFull(prefix: string) {
  process.env.ALERT_WARNING_SHARE = '1';
  const area = await freshArea(1, prefix);
  await create(area);
  const records = await changesOf(area);
  const crossing = records.find((r) => r.dynamodb?.NewImage?.active?.N === '1')!;
  return { area, records, crossing, firstDelivery: deliveryKey(area, 'full', seatChangeOf(crossing).position, configured[0]!) };
}

describe('limit alerts', () => {
  it('concurrent creates fill an area: every People admin and configured address gets the full alert exactly once', async () => {
    const staff = await freshArea(10, 'staff');
    const admin = await create(staff, { roles: ['people-admin'] });
    const exemptAdmin = await create(staff, { roles: ['people-admin', 'license-admin'], exempt: true });
    const blockedAdmin = await blockUser((await create(staff, { roles: ['people-admin'] })).id);
    const plainUser = await create(staff);

    const area = await freshArea(12, 'full');
    const results = await fill(area, 30);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(12);
    expect(await readArea(area)).toMatchObject({ active: 12, available: 0, refused: 18 });

    const records = await changesOf(area);
    expect(records.length).toBeGreaterThanOrEqual(1 + 12 + 18); // created, 12 seats taken, 18 refusals counted
    // Small batches, as many invocations would see them.
    expect(await notify(records, { batchSize: 7 })).toEqual([]);

    for (const address of [...configured, admin.email, exemptAdmin.email]) {
      const mail = await mailFor(address, area);
      expect(mail.map(kindOf), address).toEqual(['warning', 'full']);
      expect(mail.every((email) => email.destination.to.length === 1 && email.from === 'Seatkeeper <seatkeeper@example.org>')).toBe(true);
    }
    expect(await mailFor(blockedAdmin.email, area)).toEqual([]);
    expect(await mailFor(plainUser.email, area)).toEqual([]);

    const full = (await mailFor(configured[0]!, area))[1]!;
    expect(full.subject).toBe(`Seatkeeper: area "${area}" has reached its licence limit (12 of 12)`);
    expect(full.body.text).toMatch(/Limit\s+12\n/);
    expect(full.body.text).toMatch(/Active \(seats in use\)\s+12\n/);
    expect(full.body.text).toMatch(/Waiting for a licence \(pending\)\s+0\n/);
    // Refusals only start once the area is full: the row shows up in reminders, not here.
    expect(`${full.body.text} ${full.body.html}`).not.toContain('Creations refused');
    expect(full.body.text).toContain('[####################] 100%');
    expect(full.body.text).toContain('Block or delete accounts that no longer need access');
    expect(full.body.text).toContain('Request more licences: https://licences.example.org/request?product=seatkeeper&x=%3Cy%3E');
    // HTML: the usage bar, the counters table, and escaped values.
    expect(full.body.html).toContain('<td style="width:100%;height:12px;background:#b91c1c');
    expect(full.body.html).toContain(`Area ${area} — 100% of the limit in use`);
    expect(full.body.html).toContain('href="https://licences.example.org/request?product=seatkeeper&amp;x=%3Cy%3E"');
    expect(full.body.html).not.toMatch(/<script|x=<y>/);

    expect(await alertState(area)).toMatchObject({ fullStatus: 'fired', warningStatus: 'fired' });
  });

  it('duplicate and concurrent deliveries of the same records send nothing twice', async () => {
    const area = await freshArea(5, 'dup');
    process.env.ALERT_WARNING_SHARE = '1'; // the early warning coincides with full: only the full alert
    await fill(area, 8);
    const records = await changesOf(area);
    expect(await notify(records)).toEqual([]);
    // The whole batch again, single records again, and two invocations at once.
    expect(await notify(records)).toEqual([]);
    expect(await notify(records, { batchSize: 1 })).toEqual([]);
    const concurrent = await Promise.all([notify(records), notify(records), notify([...records].reverse())]);
    // An invocation that meets a message another is sending right now reports it for retry; none sends it again.
    for (const failures of concurrent) expect(failures.length).toBeLessThanOrEqual(1);
    expect(await notify(records)).toEqual([]);
    for (const address of configured) expect(await kindsFor(address, area)).toEqual(['full']);
  });

  it('re-arms when the area falls below its limit, and old records replayed later fire nothing', async () => {
    process.env.ALERT_WARNING_SHARE = '1';
    const area = await freshArea(3, 'rearm');
    const users = await Promise.all([create(area), create(area), create(area)]);
    const first = await changesOf(area);
    expect(await notify(first)).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);

    await blockUser(users[0].id);
    const freed = await changesOf(area);
    expect(await notify(freed)).toEqual([]);
    expect(await alertState(area)).toMatchObject({ fullStatus: 'armed' });
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
    // A re-delivery of the crossing after the re-arm (Lambda replays a batch after a crash): older, so it claims nothing.
    expect(await notify(first)).toEqual([]);
    expect(await alertState(area)).toMatchObject({ fullStatus: 'armed' });

    await create(area);
    const refilled = await changesOf(area);
    expect(await notify(refilled)).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full', 'full']);
    // Likewise an old re-arm replayed after the new crossing leaves the alert fired.
    expect(await notify(freed)).toEqual([]);
    expect(await alertState(area)).toMatchObject({ fullStatus: 'fired' });

    // Everything again, oldest first: nothing is sent twice and the state ends where it was.
    expect(await notify([...first, ...freed, ...refilled])).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full', 'full']);
    expect(await alertState(area)).toMatchObject({ fullStatus: 'fired' });
  });

  it('sends the early warning once when usage first reaches 90%, independently of the full alert', async () => {
    const area = await freshArea(10, 'warn');
    process.env.ALERT_WARNING_SHARE = '90%';
    const users = [];
    for (let i = 0; i < 8; i++) users.push(await create(area));
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual([]);

    users.push(await create(area)); // 9 of 10
    expect(await notify(await changesOf(area))).toEqual([]);
    const [warning] = await mailFor(configured[0]!, area);
    expect(warning!.subject).toBe(`Seatkeeper: area "${area}" is at 90% of its licence limit (9 of 10)`);
    expect(warning!.body.text).toContain('1 seat left before new accounts are refused');
    expect(warning!.body.html).toContain('width:90%');

    users.push(await create(area)); // 10 of 10: full
    await deleteUser(users[0]!.id); // 9: the full alert re-arms, the warning stays fired
    users.push(await create(area)); // 10 again: full again
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['warning', 'full', 'full']);
  });

  it('a small area warns when one seat is left, below the 90% its limit cannot show', async () => {
    const area = await freshArea(5, 'small');
    for (let i = 0; i < 3; i++) await create(area);
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[1]!, area)).toEqual([]);
    await create(area); // 4 of 5
    expect(await notify(await changesOf(area))).toEqual([]);
    const [warning] = await mailFor(configured[1]!, area);
    expect(warning!.subject).toBe(`Seatkeeper: area "${area}" is at 80% of its licence limit (4 of 5)`);
  });

  it('a jump straight to the limit sends the full alert only', async () => {
    const area = await freshArea(20, 'jump');
    await Promise.all(Array.from({ length: 5 }, () => create(area)));
    await setAreaLimit(area, 5); // lowered to the active count: full without passing 90% on the way
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
    expect(await alertState(area)).toMatchObject({ fullStatus: 'fired', warningStatus: 'fired' });
  });

  it('tells admins once when synced users start waiting for a seat', async () => {
    process.env.ALERT_WARNING_SHARE = '1';
    const area = await freshArea(1, 'wait');
    await create(area);
    for (let i = 0; i < 3; i++)
      expect(await create(area, { source: 'sync' })).toMatchObject({ state: 'blocked', blockedReason: 'license' });
    expect(await readArea(area)).toMatchObject({ pending: 3, refused: 3 });
    expect(await notify(await changesOf(area))).toEqual([]);
    const mail = await mailFor(configured[1]!, area);
    expect(mail.map(kindOf)).toEqual(['full', 'pending']);
    expect(mail[1]!.subject).toBe(`Seatkeeper: 1 directory user waiting for a licence in area "${area}"`);
    expect(mail[1]!.body.text).toMatch(/Waiting for a licence \(pending\)\s+1\n/);

    // More waiting users send nothing; once none waits, the next one alerts again.
    const waiting = await create(area, { source: 'sync' });
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[1]!, area)).toEqual(['full', 'pending']);
    await setAreaLimit(area, 1);
    for (const user of (await import('../support/seats.ts').then((m) => m.usersInArea(area))).filter(
      (u) => u.blockedReason === 'license',
    )) {
      await deleteUser(user.id);
    }
    expect(await readArea(area)).toMatchObject({ pending: 0 });
    await create(area, { source: 'sync' });
    expect(await notify(await changesOf(area))).toEqual([]);
    expect(await kindsFor(configured[1]!, area)).toEqual(['full', 'pending', 'pending']);
    expect(waiting.state).toBe('blocked');
  });

  it('sends nothing when no threshold is crossed', async () => {
    const area = await freshArea(100, 'calm');
    const users = await Promise.all(Array.from({ length: 10 }, () => create(area)));
    await blockUser(users[0]!.id);
    await deleteUser(users[1]!.id);
    await updateUser(users[2]!.id, { name: 'Renamed' });
    await setAreaLimit(area, 50);
    const records = await changesOf(area);
    expect(records.length).toBeGreaterThanOrEqual(13);
    expect(await notify(records)).toEqual([]);
    for (const address of configured) expect(await mailFor(address, area)).toEqual([]);
    expect(await alertState(area)).toBeUndefined();
  });

  it('counts refusals while full and reminds at most once a day while they keep coming', async () => {
    process.env.ALERT_WARNING_SHARE = '1';
    const area = await freshArea(2, 'remind');
    let clock = new Date('2031-03-03T08:00:00.000Z');
    const now = () => clock;
    const at = (hours: number) => (clock = new Date(Date.parse('2031-03-03T08:00:00.000Z') + hours * 3_600_000));
    const refuse = async (times: number) => {
      const results = await fill(area, times);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
    };

    const [kept] = await Promise.all([create(area), create(area)]);
    expect(await notify(await changesOf(area), { now })).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);

    at(1);
    await refuse(3);
    expect(await notify(await changesOf(area), { now })).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']); // the full alert was an hour ago
    expect(await readArea(area)).toMatchObject({ refused: 3 });

    at(25);
    await refuse(1);
    expect(await notify(await changesOf(area), { now })).toEqual([]);
    let mail = await mailFor(configured[0]!, area);
    expect(mail.map(kindOf)).toEqual(['full', 'reminder']);
    expect(mail[1]!.subject).toBe(`Seatkeeper reminder: area "${area}" is still full, 4 account creations refused`);
    expect(mail[1]!.body.text).toMatch(/Creations refused while full\s+4\n/);

    at(30);
    await refuse(2);
    expect(await notify(await changesOf(area), { now })).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full', 'reminder']);

    at(49.5);
    await refuse(1);
    const late = await changesOf(area);
    expect(await notify(late, { now })).toEqual([]);
    expect(await notify(late, { now })).toEqual([]); // a duplicate of the reminding record reminds no one twice
    mail = await mailFor(configured[0]!, area);
    expect(mail.map(kindOf)).toEqual(['full', 'reminder', 'reminder']);
    expect(mail[2]!.subject).toContain('7 account creations refused');

    // A freed seat ends the full spell: refusals count from zero, and the next fill alerts at once.
    at(50);
    await blockUser(kept.id);
    expect(await readArea(area)).toMatchObject({ refused: 0, available: 1 });
    await create(area);
    await refuse(1);
    expect(await notify(await changesOf(area), { now })).toEqual([]);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full', 'reminder', 'reminder', 'full']);
  });

  it('a failed send is reported for retry, released, and the retry sends only what is still owed', async () => {
    process.env.ALERT_WARNING_SHARE = '1';
    const area = await freshArea(2, 'fail');
    const [flaky, steady] = configured as [string, string];
    let failuresLeft = 2;
    const failSendsToFlaky = intercept(ses, async (command, input: SendEmailCommandInput, send) => {
      if (command === 'SendEmailCommand' && input.Destination?.ToAddresses?.[0] === flaky && failuresLeft > 0) {
        failuresLeft -= 1;
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
      }
      return send();
    });
    try {
      const users = await Promise.all([create(area), create(area)]);
      await blockUser(users[0].id); // a later change in the same batch: it must wait for the failed one
      const records = await changesOf(area);
      const crossing = records.find((r) => r.dynamodb?.NewImage?.active?.N === '2')!;

      expect(await notify(records)).toEqual([crossing.dynamodb!.SequenceNumber]);
      expect(await kindsFor(steady, area)).toEqual(['full']);
      expect(await kindsFor(flaky, area)).toEqual([]);
      // Processing stopped at the failure: the block after it has not re-armed the alert yet.
      expect(await alertState(area)).toMatchObject({ fullStatus: 'fired' });
      // The message was released, not left claimed.
      const deliveries = await documentClient.send(
        new QueryCommand({
          TableName: tableName('jobs'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :delivery)',
          ExpressionAttributeValues: { ':pk': `alert#${area}`, ':delivery': 'delivery#full#' },
          ConsistentRead: true,
        }),
      );
      expect(deliveries.Items?.every((item) => item.status === 'sent')).toBe(true);
      expect(JSON.stringify(deliveries.Items)).not.toContain(steady); // addresses are stored only as hashes

      // The retry, from the failed record on (as Lambda re-delivers): fails once more, then succeeds.
      const retry = records.slice(records.indexOf(crossing));
      expect(await notify(retry)).toEqual([crossing.dynamodb!.SequenceNumber]);
      expect(await notify(retry)).toEqual([]);
      expect(await kindsFor(flaky, area)).toEqual(['full']);
      expect(await kindsFor(steady, area)).toEqual(['full']);
      expect(await alertState(area)).toMatchObject({ fullStatus: 'armed' });
    } finally {
      failSendsToFlaky.remove();
    }
  });

  it('a message SES accepted but that could not be recorded as sent keeps its claim: the retry does not send it again', async () => {
    const { area, records, crossing, firstDelivery: marked } = await justFull('mark');
    let failuresLeft = 1;
    const failMarkSent = intercept(documentClient, async (_command, input: { Key?: unknown; UpdateExpression?: string }, send) => {
      if (input.UpdateExpression?.startsWith('SET #status = :sent') && JSON.stringify(input.Key).includes(marked.sk) && failuresLeft > 0) {
        failuresLeft -= 1;
        throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError' });
      }
      return send();
    });
    try {
      expect(await notify(records)).toEqual([crossing.dynamodb!.SequenceNumber]);
      expect(failuresLeft).toBe(0);
      expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
      // The retry finds the message still claimed (not released): it sends the rest, not this one again.
      expect(await notify(records)).toEqual([crossing.dynamodb!.SequenceNumber]);
      expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
      expect(await kindsFor(configured[1]!, area)).toEqual(['full']);
    } finally {
      failMarkSent.remove();
    }
  });

  it('a claim left by an invocation that died before sending is taken over once it lapses; a retry with time left waits for that', async () => {
    const { area, records, crossing, firstDelivery } = await justFull('dead');
    // The dead invocation claimed the first configured address's message and then neither sent nor released it.
    const claimedAt = Date.now();
    expect(await claimDelivery(firstDelivery, new Date(claimedAt))).toMatchObject({ outcome: 'claimed' });

    // Without time to wait (no Lambda context), a retry fails at once while the claim holds; the others are served.
    expect(await notify(records)).toEqual([crossing.dynamodb!.SequenceNumber]);
    expect(await kindsFor(configured[0]!, area)).toEqual([]);
    expect(await kindsFor(configured[1]!, area)).toEqual(['full']);

    // A retry whose remaining time reaches past the lease waits for it to lapse (here 1.5 s away), then sends.
    const offset = claimedAt + DELIVERY_LEASE_MS - 1500 - Date.now();
    const started = Date.now();
    const retry = records.slice(records.indexOf(crossing));
    expect(await notify(retry, { now: () => new Date(Date.now() + offset), context: lambdaContext('notify', 20_000) })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
    expect(await kindsFor(configured[1]!, area)).toEqual(['full']);
  });

  it('a broken setting fails the batch loudly instead of dropping alerts', async () => {
    const area = await freshArea(1, 'conf');
    await create(area);
    const records = await changesOf(area);
    for (const [name, value] of [
      ['ALERT_WARNING_SHARE', '1.5'],
      ['LICENSE_REQUEST_URL', 'javascript:alert(1)'],
    ] as const) {
      process.env[name] = value;
      expect(await notify(records)).toEqual([records[0]!.dynamodb!.SequenceNumber]);
      delete process.env[name];
    }
    expect(await mailFor(configured[0]!, area)).toEqual([]);
    process.env.ALERT_EMAILS = `not-an-address, ${configured[0]}`; // a bad entry is skipped, the rest still get mail
    const warn = vi.spyOn(logger, 'warn');
    try {
      expect(await notify(records)).toEqual([]);
      expect(await notify(records)).toEqual([]);
      // Warned about once, not on every batch.
      expect(warn.mock.calls.filter(([message]) => typeof message === 'string' && message.startsWith('ALERT_EMAILS entry'))).toHaveLength(
        1,
      );
    } finally {
      warn.mockRestore();
    }
    expect(await kindsFor(configured[0]!, area)).toEqual(['full']);
  });

  it('reports a record it cannot read instead of skipping it', async () => {
    const response = await createNotifier()({
      Records: [{ eventID: 'x', eventName: 'MODIFY', dynamodb: { SequenceNumber: '17', Keys: {} } }],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '17' }]);
  });

  it('events/notify-stream.json runs through `npm run invoke -- notify` and alerts once', async () => {
    const handler = await loadHandler('notify');
    const event = JSON.parse(readFileSync('events/notify-stream.json', 'utf8'));
    expect(await handler(event, lambdaContext('notify'))).toEqual({ batchItemFailures: [] });
    expect(await handler(event, lambdaContext('notify'))).toEqual({ batchItemFailures: [] });
    // The full alert, then the waiting user; the refusal between them is not a reminder (the area just filled).
    const mail = await mailFor(configured[0]!, 'extranet');
    expect(mail.map(kindOf)).toEqual(['full', 'pending']);
    // The figures are dated by the change (the record's ApproximateCreationDateTime), not by the send.
    expect(mail[0]!.body.text).toContain('figures as of about 2026-11-23T17:00:00Z');
  });
});
