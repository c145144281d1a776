/**
 * Builds the Seatkeeper app: the stack plus the cdk-nag AwsSolutions checks.
 * infra/app.ts (what `cdk synth`/`deploy` run) and the template tests both use
 * this, so the tests check exactly what is deployed.
 */
import { App, Tags, type AppProps } from 'aws-cdk-lib';
import { readConfig } from './config.ts';
import { addNagChecks } from './nag.ts';
import { SeatkeeperStack } from './seatkeeperStack.ts';

const STACK_ID = 'Seatkeeper';

export function buildSeatkeeperApp(props: AppProps = {}): { app: App; stack: SeatkeeperStack } {
  const app = new App(props);
  // Every setting is checked before anything is built: a bad value stops the synth with its message.
  const config = readConfig(app.node);
  const stack = new SeatkeeperStack(app, STACK_ID, { stackName: config.stackName, config });
  Tags.of(stack).add('app', 'seatkeeper');
  // Synthesis (cdk synth/deploy and the tests) fails on any unacknowledged AwsSolutions finding.
  addNagChecks(app);
  return { app, stack };
}
