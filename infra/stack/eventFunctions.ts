/**
 * The functions fed by events rather than HTTP, each a SeatkeeperFunction
 * (same bundling, log group and least-privilege grants as the HTTP routes)
 * plus its trigger:
 * - import:     S3 ObjectCreated under imports/ and sync/ of the imports bucket
 * - notify:     the seats table's stream (only when an alert sender is configured)
 * - activation: an EventBridge schedule
 * Events that still fail after their retries land in one SQS queue, FailedEvents.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { notifyOperators } from './alarms.ts';
import type { SeatkeeperBucketMap } from './buckets.ts';
import type { SeatkeeperConfig } from './config.ts';
import { activationSpec, importSpec, notifySpec } from '../../functions/manifest.ts';
import { acknowledgeNag } from './nag.ts';
import { SeatkeeperFunction } from './seatkeeperFunction.ts';
import type { SeatkeeperTableMap } from './tables.ts';
import { IMPORT_PREFIXES } from '#core/importKeys.ts';

export interface EventFunctionsProps {
  tables: SeatkeeperTableMap;
  buckets: SeatkeeperBucketMap;
  config: SeatkeeperConfig;
}

/** The SES identity alerts are sent as: its name (an address or a domain) and the ARNs the send permission names. */
interface SenderIdentity {
  name: string;
  arns: string[];
  /** What the person deploying must do so SES accepts the identity. */
  toVerify: string;
}

/**
 * `address`/`domain`: the stack creates the identity (SES emails the address a verification link; a
 * domain needs the DKIM records SES lists). `existing`: one verified before (an identity cannot be
 * created twice), which may be the address or its domain, so both ARNs are named and nothing else.
 */
function senderIdentity(scope: Construct, alerts: NonNullable<SeatkeeperConfig['alerts']>): SenderIdentity {
  const address = alerts.senderAddress;
  const domain = address.slice(address.lastIndexOf('@') + 1);
  switch (alerts.senderIdentity) {
    case 'address': {
      const identity = new EmailIdentity(scope, 'SenderIdentity', { identity: Identity.email(address) });
      return { name: address, arns: [identity.emailIdentityArn], toVerify: `Open the link SES emails to ${address} (within 24 hours).` };
    }
    case 'domain': {
      const identity = new EmailIdentity(scope, 'SenderIdentity', { identity: Identity.domain(domain) });
      return {
        name: domain,
        arns: [identity.emailIdentityArn],
        toVerify: `Publish the DKIM CNAME records SES lists for ${domain} (console, or aws sesv2 get-email-identity --email-identity ${domain}).`,
      };
    }
    case 'existing': {
      const arnOf = (name: string) => Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: name });
      return {
        name: `${address} or ${domain}`,
        arns: [arnOf(address), arnOf(domain)],
        toVerify: `Not created by this stack: ${address} or ${domain} must already be a verified SES identity in this region.`,
      };
    }
  }
}

export class EventFunctions extends Construct {
  /** Events that failed every retry: import invocations, notifier stream batches, activation runs. */
  readonly failedEvents: Queue;
  readonly importFunction: SeatkeeperFunction;
  readonly activationFunction: SeatkeeperFunction;

  constructor(scope: Construct, id: string, props: EventFunctionsProps) {
    super(scope, id);
    const { tables, buckets, config } = props;

    this.failedEvents = new Queue(this, 'FailedEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNag(
      this.failedEvents,
      'AwsSolutions-SQS3',
      'This queue is itself the last stop (Lambda on-failure destination, event source mapping on-failure destination, EventBridge target DLQ); an operator inspects and redrives its messages.',
    );
    // Anything here is an import, alert or activation that did not happen: say so, rather than wait to be looked at.
    const failures = new Alarm(this, 'FailedEventsAlarm', {
      alarmDescription:
        'Seatkeeper: an event failed every retry (import, limit alert or activation run). Inspect the FailedEvents queue (docs/deploy.md).',
      metric: this.failedEvents.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    notifyOperators(failures, config);

    // Import: one invocation per object; Lambda retries a failed one twice, the job record makes retries safe.
    this.importFunction = new SeatkeeperFunction(this, importSpec.name, {
      ...props,
      spec: importSpec,
      ...(config.syncBlockAbsent ? { environment: { IMPORT_SYNC_BLOCK_ABSENT: config.syncBlockAbsent } } : {}),
    });
    this.importFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failedEvents),
    });
    for (const prefix of IMPORT_PREFIXES) {
      buckets.imports.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.importFunction), { prefix });
    }
    // CDK sets bucket notifications through its own custom resource (a deploy-time function, one per stack).
    const notificationsHandler = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notificationsHandler) {
      acknowledgeNag(
        notificationsHandler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "aws-cdk-lib's bucket-notifications custom resource handler (runs only during deployments to set the imports bucket's notifications); its role is not configurable, and the managed policy only lets it write its own logs.",
      );
    }

    // Limit alerts: stream records in order per shard; a failed record is retried from itself (ReportBatchItemFailures).
    if (config.alerts) {
      const notify = new SeatkeeperFunction(this, notifySpec.name, {
        ...props,
        spec: notifySpec,
        environment: {
          ALERT_SENDER: config.alerts.sender,
          ...(config.alerts.extraRecipients ? { ALERT_EMAILS: config.alerts.extraRecipients } : {}),
          ...(config.alerts.warningShare ? { ALERT_WARNING_SHARE: config.alerts.warningShare } : {}),
          ...(config.alerts.licenseRequestUrl ? { LICENSE_REQUEST_URL: config.alerts.licenseRequestUrl } : {}),
        },
      });
      notify.addEventSource(
        new DynamoEventSource(tables.seats, {
          // From the oldest record kept: nothing written before the mapping existed is skipped.
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          reportBatchItemFailures: true,
          // A partial batch response retries from the failed record; when the invocation fails as a whole
          // (timeout, crash), halving the batch isolates the record that causes it instead of retrying all of them.
          bisectBatchOnError: true,
          parallelizationFactor: 1,
          retryAttempts: 10,
          maxRecordAge: Duration.days(1),
          onFailure: new SqsDlq(this.failedEvents),
        }),
      );
      // SendEmail (the notifier's only SES call) as the configured sender only: on the sender's identity, From that address.
      // In the SES sandbox SES also authorizes each recipient's identity; that is not granted here (docs/deploy.md).
      const identity = senderIdentity(this, config.alerts);
      notify.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: identity.arns,
          conditions: { StringEquals: { 'ses:FromAddress': config.alerts.senderAddress } },
        }),
      );
      new CfnOutput(this, 'SenderIdentityOutput', {
        key: 'SenderIdentity',
        value: identity.name,
        description: `SES identity limit alerts are sent as. ${identity.toVerify}`,
      });
      acknowledgeNag(
        notify.executionRole,
        'AwsSolutions-IAM5[Resource::*]',
        'dynamodb:ListStreams (added by the DynamoDB event source grant) supports no resource-level permission; reading records is scoped to the seats table stream ARN.',
      );
    }

    // Activation run: licence-blocked users of directories that push through SCIM get freed seats.
    this.activationFunction = new SeatkeeperFunction(this, activationSpec.name, { ...props, spec: activationSpec });
    // The rule's queue only catches events EventBridge could not hand over; a run that fails is Lambda's
    // to report. No retry: the next scheduled run is the retry (and a retry could overlap it).
    this.activationFunction.configureAsyncInvoke({ retryAttempts: 0, onFailure: new SqsDestination(this.failedEvents) });
    if (config.activationIntervalMinutes > 0) {
      new Rule(this, 'ActivationSchedule', {
        description: `Seatkeeper activation run every ${config.activationIntervalMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(config.activationIntervalMinutes)),
        targets: [
          new LambdaFunction(this.activationFunction, {
            retryAttempts: 2,
            maxEventAge: Duration.hours(1),
            deadLetterQueue: this.failedEvents,
          }),
        ],
      });
    }
  }
}
