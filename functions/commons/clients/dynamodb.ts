import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One client per container. DYNAMODB_ENDPOINT points it at DynamoDB Local. */
export const dynamodb = new DynamoDBClient({
  endpoint: process.env.DYNAMODB_ENDPOINT || undefined,
});

export const documentClient = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
