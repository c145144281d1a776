import { SESClient } from '@aws-sdk/client-ses';

/** One client per container. SES_ENDPOINT points it at aws-ses-v2-local. */
export const ses = new SESClient({ endpoint: process.env.SES_ENDPOINT || undefined });
