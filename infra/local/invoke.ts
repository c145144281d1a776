/**
 * npm run invoke -- <function> <event.json>
 * Runs one handler on a sample event against the engines `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { readRuntime } from './runtimeFile.ts';

const [name, eventFile] = process.argv.slice(2);
if (!name || !eventFile) {
  console.error('usage: npm run invoke -- <function> <event.json>   e.g. npm run invoke -- getSummary events/getSummary.json');
  process.exit(2);
}
try {
  Object.assign(process.env, readRuntime().env, { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' });
  // Handlers build their AWS clients, and the logger its level, from the environment when they load: load them only now.
  const { loadHandler } = await import('./functions.ts');
  const { lambdaContext } = await import('./server.ts');
  const handler = await loadHandler(name);
  const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));
  console.log(JSON.stringify(await handler(event, lambdaContext(name)), null, 2));
} catch (error) {
  console.error(`invoke failed: ${(error as Error).message}`);
  process.exit(1);
}
