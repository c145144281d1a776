/** Interleavings for tests: run a step of another actor just before, or just after, a request reaches DynamoDB Local. */
import { dynamodb } from '#clients/dynamodb.ts';

export interface Hook {
  /** Whether the step ran, so a test can assert the interleaving happened. */
  ran: () => boolean;
  remove: () => void;
}

/** A request as a hook sees it: the command's name and its (marshalled) input as JSON. */
type Matches = (command: string, input: string) => boolean;

function once(when: 'before' | 'after', matches: Matches, action: () => Promise<unknown>): Hook {
  let ran = false;
  const name = `${when}-first-${Math.random()}`;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const hit = !ran && matches(context.commandName ?? '', JSON.stringify(args.input));
      if (hit && when === 'before') {
        ran = true;
        await action();
      }
      const result = await next(args);
      // A request DynamoDB refused has not landed: wait for one that does.
      if (hit && when === 'after' && !ran) {
        ran = true;
        await action();
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return { ran: () => ran, remove: () => dynamodb.middlewareStack.remove(name) };
}

/** Runs `action` once, before the first `command` (e.g. 'TransactWriteItemsCommand') sent while installed. */
export const beforeFirst = (command: string, action: () => Promise<unknown>): Hook => once('before', (name) => name === command, action);

/** Runs `action` once, after the first request `matches` has landed (its answer waits for the action). */
export const afterFirst = (matches: Matches, action: () => Promise<unknown>): Hook => once('after', matches, action);
