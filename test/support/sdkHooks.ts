/** Interleavings for tests: run a step of another actor just before the first request of a kind reaches DynamoDB Local. */
import { dynamodb } from '#clients/dynamodb.ts';

/**
 * Runs `action` once, before the first `command` (e.g. 'TransactWriteItemsCommand') sent while
 * installed. `ran()` says whether it did, so a test can assert the interleaving happened.
 */
export function beforeFirst(command: string, action: () => Promise<unknown>): { ran: () => boolean; remove: () => void } {
  let ran = false;
  const name = `before-first-${command}-${Math.random()}`;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (!ran && context.commandName === command) {
        ran = true;
        await action();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { ran: () => ran, remove: () => dynamodb.middlewareStack.remove(name) };
}
