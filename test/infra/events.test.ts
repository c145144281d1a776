/**
 * The event-fed functions, synthesized with limit alerts on
 * (`-c alertSender=…`): import on S3 ObjectCreated, the notifier on the seats
 * stream, the scheduled activation run, and the queue their failed events end in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activationSpec, importSpec, notifySpec } from '../../functions/manifest.ts';
import { IMPORT_PREFIXES } from '#core/importKeys.ts';
import { grantChecker } from './grants.ts';
import {
  expectAcknowledgementsUsed,
  expectNagClean,
  logicalId,
  referencedId,
  resourcesOfType,
  synthesize,
  type CfnResourceJson,
  type Synthesized,
} from './synth.ts';

const SENDER_ADDRESS = 'seatkeeper-alerts@example.com';
const SENDER = `Seatkeeper <${SENDER_ADDRESS}>`;
let s: Synthesized;
let grants: ReturnType<typeof grantChecker>;
let queueId: string;
const senderIdentityId = () => resourcesOfType(s.json, 'AWS::SES::EmailIdentity')[0]![0];
const fnOf = (name: string): [string, CfnResourceJson] => {
  const fn = s.stack.functions[name];
  if (!fn) throw new Error(`No function ${name}`);
  return [logicalId(fn), grants.resource(logicalId(fn))];
};

beforeAll(() => {
  s = synthesize({
    bundle: false,
    context: {
      alertSender: SENDER,
      alertEmails: 'licences@example.com, it@example.com',
      alertWarningShare: '80%',
      licenseRequestUrl: 'https://intranet.example.com/licences',
      activationIntervalMinutes: '15',
    },
  });
  grants = grantChecker(s);
  queueId = logicalId(s.stack.events.failedEvents);
});

describe('import (S3 ObjectCreated)', () => {
  it('is notified of new objects under imports/ and sync/ of the imports bucket, nowhere else', () => {
    const [importId] = fnOf(importSpec.name);
    const [[, notifications]] = resourcesOfType(s.json, 'Custom::S3BucketNotifications') as [[string, CfnResourceJson]];
    expect(referencedId(notifications.Properties?.BucketName)).toBe(logicalId(s.stack.buckets.imports));
    const configs = notifications.Properties?.NotificationConfiguration.LambdaFunctionConfigurations as {
      Events: string[];
      Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
      LambdaFunctionArn: unknown;
    }[];
    expect(configs.map((c) => c.Filter.Key.FilterRules)).toEqual(IMPORT_PREFIXES.map((prefix) => [{ Name: 'prefix', Value: prefix }]));
    for (const config of configs) {
      expect(config.Events).toEqual(['s3:ObjectCreated:*']);
      expect(referencedId(config.LambdaFunctionArn)).toBe(importId);
    }
    expect(Object.keys(notifications.Properties?.NotificationConfiguration)).toEqual(['LambdaFunctionConfigurations']);
    const permission = resourcesOfType(s.json, 'AWS::Lambda::Permission').find(
      ([, p]) => referencedId(p.Properties?.FunctionName) === importId,
    )?.[1];
    expect(permission?.Properties).toMatchObject({
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalId(s.stack.buckets.imports), 'Arn'] },
    });
  });

  it('retries a failed invocation twice, then parks the event in FailedEvents', () => {
    const [importId, fn] = fnOf(importSpec.name);
    expect(fn.Properties).toMatchObject({ Timeout: 900, MemorySize: 1024 });
    const [, invokeConfig] = resourcesOfType(s.json, 'AWS::Lambda::EventInvokeConfig').find(
      ([, c]) => referencedId(c.Properties?.FunctionName) === importId,
    )!;
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('may use its tables, the imports bucket’s objects and the failure queue, nothing else', () => {
    grants.expectGrantsOf(importSpec, fnOf(importSpec.name)[1], ['failedEvents']);
  });
});

describe('FailedEvents', () => {
  it('an alarm goes off as soon as the queue holds a message (no topic unless -c alarmTopicArn)', () => {
    const alarms = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties?.Namespace === 'AWS/SQS');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarms[0]![1].Properties?.AlarmActions).toBeUndefined();
  });
});

describe('notify (seats stream → SES)', () => {
  it('reads the seats stream in order from the oldest record, reporting partial batch failures; halves a failing batch, retries a record 10 times within a day, then parks it in FailedEvents', () => {
    const [notifyId] = fnOf(notifySpec.name);
    const mappings = resourcesOfType(s.json, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack.tables.seats), 'StreamArn'] },
      FunctionName: { Ref: notifyId },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 24 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('gets its alert settings from context', () => {
    expect(fnOf(notifySpec.name)[1].Properties?.Environment.Variables).toMatchObject({
      ALERT_SENDER: SENDER,
      // Checked and normalized at synth.
      ALERT_EMAILS: 'licences@example.com,it@example.com',
      ALERT_WARNING_SHARE: '80%',
      LICENSE_REQUEST_URL: 'https://intranet.example.com/licences',
    });
  });

  it('may read users, keep alert state in jobs, read the stream, and send email only as the sender', () => {
    const [, fn] = fnOf(notifySpec.name);
    grants.expectGrantsOf(notifySpec, fn, ['failedEvents', 'seatsStream', 'listStreams', 'sesSender']);
    const ses = grants.statementsOf(fn).filter((st) => [st.Action].flat().some((a) => a.startsWith('ses:')));
    expect(ses).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Condition: { StringEquals: { 'ses:FromAddress': SENDER_ADDRESS } },
        // The identity the stack creates, nothing else (no identity/*).
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':identity/',
              { Ref: senderIdentityId() },
            ],
          ],
        },
      },
    ]);
  });

  it('creates the SES identity of the sender’s address and outputs it to verify', () => {
    const identities = resourcesOfType(s.json, 'AWS::SES::EmailIdentity');
    expect(identities.map(([, r]) => r.Properties?.EmailIdentity)).toEqual([SENDER_ADDRESS]);
    expect(s.json.Outputs?.SenderIdentity?.Value).toBe(SENDER_ADDRESS);
  });
});

describe('activation (EventBridge schedule)', () => {
  it('runs at the configured interval; an event EventBridge cannot deliver is retried twice, then parked in FailedEvents', () => {
    const [activationId, fn] = fnOf(activationSpec.name);
    const rules = resourcesOfType(s.json, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties!;
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [activationId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }),
      }),
    ]);
    // A run ends before the next one starts.
    expect(fn.Properties?.Timeout).toBeLessThan(15 * 60);
  });

  it('a run that fails is not retried (the next run is the retry) and is parked in FailedEvents', () => {
    const [activationId] = fnOf(activationSpec.name);
    const [, invokeConfig] = resourcesOfType(s.json, 'AWS::Lambda::EventInvokeConfig').find(
      ([, c]) => referencedId(c.Properties?.FunctionName) === activationId,
    )!;
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('may use the users and seats tables and the failure queue, nothing else', () => {
    grants.expectGrantsOf(activationSpec, fnOf(activationSpec.name)[1], ['failedEvents']);
  });
});

describe('the sender identity, domain or existing (-c alertSenderIdentity=…)', () => {
  const sesStatements = (synth: Synthesized) => {
    const g = grantChecker(synth);
    return g
      .statementsOf(g.resource(logicalId(synth.stack.functions[notifySpec.name]!)))
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('ses:')));
  };

  it('domain: creates the identity of the sender’s domain and may send only on it, From the sender', () => {
    const d = synthesize({ bundle: false, context: { alertSender: SENDER, alertSenderIdentity: 'domain' } });
    const identities = resourcesOfType(d.json, 'AWS::SES::EmailIdentity');
    expect(identities.map(([, r]) => r.Properties?.EmailIdentity)).toEqual(['example.com']);
    expect(d.json.Outputs?.SenderIdentity?.Value).toBe('example.com');
    const [statement] = sesStatements(d);
    expect(JSON.stringify(statement?.Resource)).toContain(`":identity/",{"Ref":"${identities[0]![0]}"}`);
    expectNagClean(d);
  });

  it('existing: creates no identity; may send on the address’s or its domain’s identity only', () => {
    const e = synthesize({ bundle: false, context: { alertSender: SENDER, alertSenderIdentity: 'existing' } });
    expect(resourcesOfType(e.json, 'AWS::SES::EmailIdentity')).toEqual([]);
    const resources = sesStatements(e)
      .flatMap((st) => [st.Resource].flat())
      .map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(2);
    expect(resources.find((r) => r.endsWith(`:identity/${SENDER_ADDRESS}"]]}`))).toBeDefined();
    expect(resources.find((r) => r.endsWith(':identity/example.com"]]}'))).toBeDefined();
    expect(e.json.Outputs?.SenderIdentity?.Value).toBe(`${SENDER_ADDRESS} or example.com`);
    expectNagClean(e);
  });
});

describe('FailedEvents', () => {
  it('is encrypted, TLS-only and keeps messages 14 days', () => {
    const queue = grants.resource(queueId);
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const [, policy] = resourcesOfType(s.json, 'AWS::SQS::QueuePolicy').find(([, p]) => referencedId(p.Properties?.Queues[0]) === queueId)!;
    expect(policy.Properties?.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('cdk-nag with every function deployed', () => {
  it('has no unacknowledged finding and no stale acknowledgement', () => {
    expectNagClean(s);
    expectAcknowledgementsUsed(s);
  });
});
