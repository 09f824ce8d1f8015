import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/observability.js';
import { countDynamoRequests, countReadCapacity } from '../runtime/usage.js';

/**
 * One client per service per function instance, created on first use. Endpoints come from the
 * SDK's own configuration (AWS_ENDPOINT_URL_<SERVICE> locally), never from this code. Each client
 * is captured by the tracer: where Lambda traces, every call is an X-Ray subsegment.
 */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const documentClient = /* @__PURE__ */ lazy(() => {
  const client = tracer.captureAWSv3Client(new DynamoDBClient({}));
  // Inside the retry loop, so that each attempt counts (see usage.ts).
  client.middlewareStack.add(countDynamoRequests, { step: 'finalizeRequest', priority: 'low', name: 'countDynamoRequests' });
  client.middlewareStack.add(countReadCapacity as never, { step: 'initialize', priority: 'high', name: 'countReadCapacity' });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
});
export const sfnClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new SFNClient({})));
export const eventBridgeClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new EventBridgeClient({})));
export const sesClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new SESv2Client({})));
export const secretsClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new SecretsManagerClient({})));
export const kmsClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new KMSClient({})));
export const cognitoClient = /* @__PURE__ */ lazy(() => tracer.captureAWSv3Client(new CognitoIdentityProviderClient({})));
// Path-style addressing reaches any endpoint by name; checksums only where S3 requires them, so a
// presigned upload needs no checksum header and streamed bodies arrive whole everywhere.
export const s3Client = /* @__PURE__ */ lazy(
  () => tracer.captureAWSv3Client(new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' })),
);
