/**
 * Fault injection and interleavings for tests, on the real clients: look at, fail or delay a
 * request, or run a step of another actor just before or just after one reaches the engine.
 */
import { dynamodb } from '#clients/dynamodb.ts';

export interface Hook {
  /** Whether the step ran, so a test can assert the interleaving happened. */
  ran: () => boolean;
  remove: () => void;
}

/** A client of AWS SDK v3 (DynamoDB, its document client, S3, SES): what `intercept` needs of it. */
interface SdkClient {
  // `any`: every client's stack fits, whatever its input and output types.
  middlewareStack: { add: (middleware: any, options: { step: 'initialize'; name: string }) => void; remove: (name: string) => boolean };
}

/** What a request answers: the command's output (typed by the test that looks at it) and the raw response. */
export type Answer = { output: any; response: unknown };

/**
 * Puts `around` in front of every request `client` sends until `remove()`: it sees the
 * command's name and input, and calls `send` to let the request through, or throws, waits
 * or changes the answer instead. The document client shares the DynamoDB client's stack, so
 * `intercept(dynamodb, …)` sees its requests too, with their input and answer as plain values
 * (it marshals later, next to the serializer); only the low-level client's own are marshalled.
 */
export function intercept(
  client: SdkClient,
  around: (command: string, input: any, send: () => Promise<Answer>) => Promise<Answer>,
): { remove: () => void } {
  const name = `intercept-${Math.random()}`;
  client.middlewareStack.add(
    (next: (args: { input: unknown }) => Promise<Answer>, context: { commandName?: string }) => (args: { input: unknown }) =>
      around(context.commandName ?? '', args.input, () => next(args)),
    { step: 'initialize', name },
  );
  return { remove: () => void client.middlewareStack.remove(name) };
}

/** Makes the `nth` `command` that `client` sends fail as an outage would (a ServiceUnavailable named `injected outage`). */
export function outageAt(client: SdkClient, command: string, nth: number): { remove: () => void } {
  let seen = 0;
  return intercept(client, async (name, _input, send) => {
    if (name === command && ++seen === nth) throw Object.assign(new Error('injected outage'), { name: 'ServiceUnavailable' });
    return send();
  });
}

/** A request as a hook sees it: the command's name and its input as JSON. */
type Matches = (command: string, input: string) => boolean;

function once(when: 'before' | 'after', matches: Matches, action: () => Promise<unknown>): Hook {
  let ran = false;
  const { remove } = intercept(dynamodb, async (command, input, send) => {
    const hit = !ran && matches(command, JSON.stringify(input));
    if (hit && when === 'before') {
      ran = true;
      await action();
    }
    const answer = await send();
    // A request DynamoDB refused has not landed: wait for one that does.
    if (hit && when === 'after' && !ran) {
      ran = true;
      await action();
    }
    return answer;
  });
  return { ran: () => ran, remove };
}

/** Runs `action` once, before the first `command` (e.g. 'TransactWriteItemsCommand') sent while installed. */
export const beforeFirst = (command: string, action: () => Promise<unknown>): Hook => once('before', (name) => name === command, action);

/** Runs `action` once, after the first request `matches` has landed (its answer waits for the action). */
export const afterFirst = (matches: Matches, action: () => Promise<unknown>): Hook => once('after', matches, action);
