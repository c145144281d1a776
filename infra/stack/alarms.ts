/** What every Seatkeeper alarm shares: it notifies the operators' SNS topic when one is configured (-c alarmTopicArn). */
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { SeatkeeperConfig } from './config.ts';

export function notifyOperators(alarm: Alarm, config: SeatkeeperConfig): void {
  if (config.alarmTopicArn) alarm.addAlarmAction(new SnsAction(Topic.fromTopicArn(alarm, 'Topic', config.alarmTopicArn)));
}
