import { serviceProviderConfig } from './discovery.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

export const handler = scimHandler(async ({ baseUrl }) => scimResponse(200, serviceProviderConfig(baseUrl)));
