import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs. Never log personal data beyond user ids. */
export const logger = new Logger({ serviceName: 'seatkeeper' });
