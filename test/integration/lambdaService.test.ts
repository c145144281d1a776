/**
 * The local runtime's Lambda Invoke API (infra/local/lambdaService.ts) answers the
 * SDK as Lambda would: 202 for an asynchronous invocation of a catalog function,
 * Lambda's own exceptions for an unknown function or a synchronous invocation.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaService, type LambdaService } from '../../infra/local/lambdaService.ts';

let service: LambdaService;
let lambda: LambdaClient;
const logs: string[] = [];

beforeAll(async () => {
  service = await startLambdaService({ retryDelaysMs: [1, 1], log: (line) => logs.push(line) });
  lambda = new LambdaClient({ endpoint: service.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await service.stop();
});

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('local Lambda Invoke', () => {
  it('runs a catalog function asynchronously (by name or ARN): 202 at once, the outcome in the log', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:import';
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: arn,
        InvocationType: 'Event',
        Payload: payload({ importRetry: { jobId: 'bm9uZQ.AAAAAAAAAAAAAAAA' } }),
      }),
    );
    expect(answer.StatusCode).toBe(202);
    await expect
      .poll(() => logs.find((line) => line.startsWith('Lambda import')))
      .toBe('Lambda import (asynchronous invocation) → not an import');
  });

  it('an unknown function is ResourceNotFoundException; a synchronous invocation is refused', async () => {
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'nope', InvocationType: 'Event', Payload: payload({}) })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'import', Payload: payload({}) }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
