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
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SFN variables (the SDK reads
 * them itself). When a custom S3 endpoint is set we talk to s3rver, which needs path-style URLs
 * and no default checksums (they corrupt streamed bodies there); real S3 keeps the defaults.
 */
export function createAwsClients(env: NodeJS.ProcessEnv = process.env): AwsClients {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const localS3 = Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const s3 = new S3Client({
    region,
    ...(localS3
      ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
  const sfn = new SFNClient({ region });
  return { dynamo, s3, sfn };
}
