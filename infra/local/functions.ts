/** Every Lambda handler by name, for `npm run invoke` and the local runtime. */
import { httpRoutes } from '#http/routes.ts';

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

const modules: Record<string, string> = Object.fromEntries(
  httpRoutes.map((route) => [route.handler, `../../functions/http/${route.handler}.ts`]),
);

export const functionNames = () => Object.keys(modules);

export async function loadHandler(name: string): Promise<AnyHandler> {
  const path = modules[name];
  if (!path) throw new Error(`Unknown function '${name}'. Known: ${functionNames().join(', ')}`);
  return ((await import(path)) as { handler: AnyHandler }).handler;
}
