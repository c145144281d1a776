/**
 * The cdk-nag wiring itself: an unacknowledged finding fails synthesis, an
 * acknowledgement (with a reason) lets it through and is reported with that
 * reason. Proves that stack.test.ts's "no findings" can fail.
 */
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgeNag, addNagChecks } from '../../infra/stack/nag.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function appWithTableWithoutBackups(acknowledge?: (table: Table) => void) {
  const outdir = mkdtempSync(join(tmpdir(), 'seatkeeper-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { '@aws-cdk/core:appMode': 'inmemory' } });
  const stack = new Stack(app, 'NagProbe');
  const table = new Table(stack, 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  acknowledge?.(table);
  addNagChecks(app);
  return { app, outdir };
}

describe('cdk-nag AwsSolutions checks', () => {
  it('fail synthesis on an unacknowledged finding', () => {
    const { app } = appWithTableWithoutBackups();
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });

  it('let an acknowledged finding through and report it with its reason', () => {
    const reason = 'Probe table for this test; it never holds data worth recovering.';
    const { app, outdir } = appWithTableWithoutBackups((table) => acknowledgeNag(table, 'AwsSolutions-DDB3', reason));
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[]; suppressedViolations?: { ruleName: string; reason: string }[] }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations).toEqual([]);
    expect(nag?.suppressedViolations).toEqual([expect.objectContaining({ ruleName: 'AwsSolutions-DDB3', reason })]);
  });

  it('refuse an acknowledgement without a real reason', () => {
    expect(() => appWithTableWithoutBackups((table) => acknowledgeNag(table, 'AwsSolutions-DDB3', 'n/a'))).toThrow(/needs a real reason/);
  });
});
