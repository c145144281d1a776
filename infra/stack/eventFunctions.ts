/**
 * The functions fed by events rather than HTTP, each a SeatkeeperFunction
 * (same bundling, log group and least-privilege grants as the HTTP routes)
 * plus its trigger:
 * - import:     S3 ObjectCreated under imports/ and sync/ of the imports bucket
 * - notify:     the seats table's stream (only when an alert sender is configured)
 * - activation: an EventBridge schedule
 * Events that still fail after their retries land in one SQS queue, FailedEvents.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SeatkeeperBucketMap } from './buckets.ts';
import type { SeatkeeperConfig } from './config.ts';
import { activationSpec, importSpec, notifySpec } from './functionCatalog.ts';
import { acknowledgeNag } from './nag.ts';
import { SeatkeeperFunction } from './seatkeeperFunction.ts';
import type { SeatkeeperTableMap } from './tables.ts';
import { IMPORT_PREFIXES } from '../../functions/import/importKey.ts';

export interface EventFunctionsProps {
  tables: SeatkeeperTableMap;
  buckets: SeatkeeperBucketMap;
  config: SeatkeeperConfig;
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
          // Partial batch responses already retry from the failed record; halving would reorder nothing but costs calls.
          bisectBatchOnError: false,
          parallelizationFactor: 1,
          retryAttempts: 10,
          maxRecordAge: Duration.days(1),
          onFailure: new SqsDlq(this.failedEvents),
        }),
      );
      // SendEmail only as the configured sender. The identity may be the address or its domain, and in the SES
      // sandbox recipients are identities too, so the resource is this account's identities, narrowed by From.
      notify.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
          conditions: { StringEquals: { 'ses:FromAddress': config.alerts.senderAddress } },
        }),
      );
      acknowledgeNag(
        notify.executionRole,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        'ses:SendEmail is allowed only with ses:FromAddress equal to the configured sender; SES authorizes against the sender address or its domain identity (and recipients in the sandbox), which cannot be known at deploy time.',
      );
      acknowledgeNag(
        notify.executionRole,
        'AwsSolutions-IAM5[Resource::*]',
        'dynamodb:ListStreams (added by the DynamoDB event source grant) supports no resource-level permission; reading records is scoped to the seats table stream ARN.',
      );
    }

    // Activation run: licence-blocked users of directories that push through SCIM get freed seats.
    this.activationFunction = new SeatkeeperFunction(this, activationSpec.name, { ...props, spec: activationSpec });
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
