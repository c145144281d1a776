/**
 * The scheduled activation run (EventBridge schedule; locally a timer in
 * `npm start`): directories that push through SCIM do not re-send users they
 * consider unchanged, so this is their "next sync" — the oldest waiting users
 * get seats that were freed since.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { ScheduledEvent } from 'aws-lambda';
import { logger } from '#commons/logger.ts';
import { runActivation, type ActivationSummary } from '#core/activationRun.ts';

export const handler = middy<ScheduledEvent, ActivationSummary>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    logger.appendKeys({ scheduledAt: event.time, eventId: event.id });
    return runActivation();
  });
