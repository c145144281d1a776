/**
 * Every Lambda handler by name, for `npm run invoke` and the local runtime:
 * the same catalog the CDK stack deploys from, so a function cannot exist in one and not the other.
 */
import { allFunctionSpecs } from '../../functions/manifest.ts';

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

const modules = new Map(allFunctionSpecs.map((spec) => [spec.name, `../../${spec.entry}`]));

export const functionNames = () => [...modules.keys()];

export async function loadHandler(name: string): Promise<AnyHandler> {
  const path = modules.get(name);
  if (!path) throw new Error(`Unknown function '${name}'. Known: ${functionNames().join(', ')}`);
  return ((await import(path)) as { handler: AnyHandler }).handler;
}
