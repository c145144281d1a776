/**
 * Runs the import function on one S3 event in a process of its own, with every
 * transaction slowed down, so importDelivery.test.ts can kill it mid-file
 * (SIGKILL: no cleanup runs, as when a Lambda instance dies).
 * Usage: node --import tsx test/integration/importCrashChild.ts '<event json>'
 */
import { dynamodb } from '#clients/dynamodb.ts';
import { handler } from '../../functions/import/handler.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { intercept } from '../support/sdkHooks.ts';

intercept(dynamodb, async (command, _input, send) => {
  if (command === 'TransactWriteItemsCommand') await new Promise((resolve) => setTimeout(resolve, 150));
  return send();
});

await handler(JSON.parse(process.argv[2]!), lambdaContext('import'));
