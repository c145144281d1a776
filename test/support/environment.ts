/** Runs before each test file's imports: points every AWS client at the local engines. */
import { inject } from 'vitest';
import { LOCAL_AWS_ENV } from '../../infra/local/engines.ts';

Object.assign(process.env, LOCAL_AWS_ENV, {
  DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
  S3_ENDPOINT: inject('s3Endpoint'),
  SES_ENDPOINT: inject('sesEndpoint'),
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LOCAL_JWT_SECRET: 'test-secret-test-secret-test-secret',
});
