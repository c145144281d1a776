/**
 * Lambda's Invoke API for the local runtime, so a function that invokes another
 * (POST /imports/{id}/retry → the import function) sends the same InvokeCommand
 * it sends on AWS: LAMBDA_ENDPOINT points the SDK here. An asynchronous
 * invocation (InvocationType Event) is answered 202 at once and run as Lambda
 * runs it, retried twice on failure (asyncInvocation.ts). The functions are the
 * catalog's, by name or ARN. Only Event is served: no code invokes a function
 * and waits for it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMPORT_FUNCTION } from '#core/importRetry.ts';
import { allFunctionSpecs } from '../../functions/manifest.ts';
import { asyncInvoker } from './asyncInvocation.ts';
import { loadHandler } from './functions.ts';
import { summarize } from './s3Events.ts';
import { lambdaContext } from './server.ts';

export interface LambdaService {
  endpoint: string;
  /** Stops listening, drops retries not yet due and waits for invocations under way. */
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A function name, or its ARN (…:function:<name>[:<qualifier>]), as the SDK sends it. */
function functionNameOf(segment: string): string {
  const name = decodeURIComponent(segment);
  return /:function:([^:]+)/.exec(name)?.[1] ?? name;
}

/** Lambda's error answer: the exception's name in a header, a message in the body. */
function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLambdaService(
  options: { port?: number; retryDelaysMs?: readonly number[]; log?: (line: string) => void } = {},
): Promise<LambdaService> {
  const invoker = asyncInvoker({ retryDelaysMs: options.retryDelaysMs, log: options.log });
  const timeoutMs = new Map(allFunctionSpecs.map((spec) => [spec.name, (spec.timeoutSeconds ?? 10) * 1000]));

  const server = createServer(async (request, response) => {
    try {
      const path = INVOKE_PATH.exec(new URL(request.url ?? '/', 'http://local').pathname);
      if (request.method !== 'POST' || !path)
        return sendError(
          response,
          404,
          'UnknownOperationException',
          `The local Lambda service serves only Invoke, not ${request.method} ${request.url}.`,
        );
      const name = functionNameOf(path[1]!);
      if (!timeoutMs.has(name)) return sendError(response, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type !== 'Event')
        return sendError(
          response,
          400,
          'InvalidParameterValueException',
          `The local Lambda service runs only asynchronous invocations (InvocationType Event), not ${type}.`,
        );
      const body = await readBody(request);
      let event: unknown;
      try {
        event = body === '' ? {} : JSON.parse(body);
      } catch {
        return sendError(response, 400, 'InvalidRequestContentException', 'Could not parse request body into json.');
      }
      const handler = await loadHandler(name);
      response.writeHead(202).end();
      const describe = name === IMPORT_FUNCTION.name ? summarize : () => 'done';
      invoker.invoke(`Lambda ${name} (asynchronous invocation)`, () => handler(event, lambdaContext(name, timeoutMs.get(name))), describe);
    } catch (error) {
      sendError(response, 500, 'ServiceException', (error as Error).message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await invoker.stop();
    },
  };
}
