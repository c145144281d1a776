/**
 * Synthesizes the Seatkeeper app the way `cdk synth` does: same app builder
 * (infra/stack/seatkeeperApp.ts, cdk-nag included), same feature flags (the
 * context block of cdk.json), plus the context a test adds. Each synth writes
 * a cloud assembly to a temporary directory; a failed synth removes its own at
 * once, the others are removed after the test file that made them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, expect } from 'vitest';
import type { IConstruct } from 'constructs';
import { projectRoot } from '../../infra/stack/bundling.ts';
import { buildSeatkeeperApp } from '../../infra/stack/seatkeeperApp.ts';
import type { SeatkeeperStack } from '../../infra/stack/seatkeeperStack.ts';

export const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };

export interface Synthesized {
  stack: SeatkeeperStack;
  template: Template;
  /** Raw template JSON. */
  json: { Resources: Record<string, CfnResourceJson>; Outputs?: Record<string, { Value: unknown }> };
  outdir: string;
  report: ValidationReport;
}

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity: string }[];
    suppressedViolations?: { ruleName: string; acknowledgedId: string; acknowledgedAt: string; reason: string }[];
  }[];
}

/** Assembly directories of this test file's synths (with bundling, each holds every function's bundle). */
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function synthesize(options: { context?: Record<string, unknown>; bundle?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'seatkeeper-cdk-'));
  try {
    const { app, stack } = buildSeatkeeperApp({
      outdir,
      context: {
        ...cdkJson.context,
        // Make a failed validation (cdk-nag) throw with its report, as in a test run.
        '@aws-cdk/core:appMode': 'inmemory',
        // Skip esbuild where a test does not look at the bundles (keeps the suite fast).
        ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
        ...options.context,
      },
    });
    app.synth(); // throws when cdk-nag reports an unacknowledged finding
    const template = Template.fromStack(stack);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    outdirs.push(outdir);
    return { stack, template, json: template.toJSON() as Synthesized['json'], outdir, report };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

export const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

export function resourcesOfType(json: Synthesized['json'], type: string): [string, CfnResourceJson][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

/** `{ Ref: X }` or `{ 'Fn::GetAtt': [X, …] }` → X */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    return v.Ref ?? v['Fn::GetAtt']?.[0];
  }
  return undefined;
}

/** cdk-nag ran and reported no unacknowledged finding; returns its report. */
export function expectNagClean(s: Synthesized): ValidationReport['pluginReports'][number] {
  const nag = s.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
  expect(nag, 'the AwsSolutions plugin reported (it lists the acknowledged findings)').toBeDefined();
  expect(nag!.violations).toEqual([]);
  expect(nag!.conclusion).toBe('success');
  return nag!;
}

/** cdk-nag ran clean (expectNagClean); each acknowledgement in the code has a reason and covers a finding it actually reported (none is stale). */
export function expectAcknowledgementsUsed(s: Synthesized): void {
  const suppressed = expectNagClean(s).suppressedViolations ?? [];
  for (const v of suppressed) expect(v.reason.length, v.acknowledgedId).toBeGreaterThan(20);
  const acknowledged = s.stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as Record<string, string>).map((id) => `${c.node.path} ${id}`)),
    );
  expect(acknowledged.length).toBeGreaterThan(0);
  const used = new Set(suppressed.map((v) => `${v.acknowledgedAt} ${v.acknowledgedId}`));
  expect(acknowledged.filter((a) => !used.has(a))).toEqual([]);
}
