/** Every Lambda handler by name, for `npm run invoke` and the local runtime. */
import { httpRoutes, routeModule } from '#http/routes.ts';

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

const modules: Record<string, string> = {
  ...Object.fromEntries(httpRoutes.map((route) => [route.handler, `../../${routeModule(route)}`])),
  // Lambda authorizer of the SCIM routes (run by the local front door for `auth: 'scimToken'`).
  scimAuthorizer: '../../functions/scim/authorizer.ts',
  // The scheduled licence activation run (EventBridge; locally activationTimer.ts).
  activation: '../../functions/activation/handler.ts',
  // S3 ObjectCreated on imports/ and sync/ (forwarded locally by s3Events.ts).
  import: '../../functions/import/handler.ts',
  // Limit alerts, fed by the seats table's stream (locally streamPoller.ts).
  notify: '../../functions/notify/handler.ts',
};

export const functionNames = () => Object.keys(modules);

export async function loadHandler(name: string): Promise<AnyHandler> {
  const path = modules[name];
  if (!path) throw new Error(`Unknown function '${name}'. Known: ${functionNames().join(', ')}`);
  return ((await import(path)) as { handler: AnyHandler }).handler;
}
