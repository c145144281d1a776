import { LambdaClient } from '@aws-sdk/client-lambda';

/** One client per container. LAMBDA_ENDPOINT points it at the local runtime's Lambda service (infra/local/lambdaService.ts). */
export const lambda = new LambdaClient({ endpoint: process.env.LAMBDA_ENDPOINT || undefined });
