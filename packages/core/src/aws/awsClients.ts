import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  sfn: SFNClient;
}

/**
 * The one place AWS clients are built. Endpoints come from the SDK's standard
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SFN variables. When a custom
 * S3 endpoint is set we talk to s3rver, which needs path-style URLs and no default checksums
 * (they corrupt streamed bodies there); real S3 keeps the defaults.
 *
 * `env` is given by the edge — a Lambda passes its `process.env`, the local system the variables
 * that address its own parts — and endpoints and credentials are taken from it explicitly: the SDK
 * alone would read `process.env`, so two local systems in one process could not coexist.
 */
export function createAwsClients(env: Readonly<Record<string, string | undefined>>): AwsClients {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  const common = { region, ...(credentials ? { credentials } : {}) };
  const endpointFor = (service: string) => {
    const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
    return endpoint ? { endpoint } : {};
  };
  const localS3 = Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...common, ...endpointFor('DYNAMODB'), maxAttempts: 5 }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
  const s3 = new S3Client({
    ...common,
    ...endpointFor('S3'),
    ...(localS3
      ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
  const sfn = new SFNClient({ ...common, ...endpointFor('SFN') });
  return { dynamo, s3, sfn };
}
