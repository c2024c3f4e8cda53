/**
 * The one fake credential pair both local parts accept: s3rver only knows the account
 * `S3RVER`/`S3RVER` (it checks signatures), and DynamoDB Local accepts any alphanumeric access key
 * id (it rejects `_` and `-`), which `S3RVER` is.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export const localRegion = 'us-east-1';

/**
 * The environment that points the AWS SDK at the local parts: the SDK's standard endpoint
 * variables, the fake credentials, and — for clients not built by createAwsClients (e.g. a
 * presigner elsewhere) — no default checksums, since s3rver stores the aws-chunked framing of
 * checksummed streamed bodies.
 */
export function localPartsEnvironment(endpoints: { dynamodb: string; s3: string }): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
