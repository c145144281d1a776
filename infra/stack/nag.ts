/**
 * cdk-nag (v3) wiring. cdk-nag 3 is a CDK policy-validation plugin: synthesis
 * fails when it reports any finding (error or warning) that no acknowledgement
 * covers. Acknowledgements go through `acknowledgeNag`, which requires a reason
 * and namespaces the id, so each one is listed in cdk.out/validation-report.json
 * under `suppressedViolations` together with its reason.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

const NAG_PACK = 'AwsSolutions';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/**
 * Accepts one AwsSolutions finding on `scope` and everything below it.
 * `rule` is the finding id as nag prints it, e.g. `AwsSolutions-IAM5[Resource::<T.Arn>/index/*]`.
 */
export function acknowledgeNag(scope: IConstruct, rule: `${typeof NAG_PACK}-${string}`, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`Acknowledging ${rule} needs a real reason, got '${reason}'.`);
  Validations.of(scope).acknowledge({ id: `${NAG_PACK}::${rule}`, reason });
}
