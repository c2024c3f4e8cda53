/**
 * The one fake credential pair both local parts accept: s3rver only knows the account
 * `S3RVER`/`S3RVER` (it checks signatures), and DynamoDB Local accepts any alphanumeric access key
 * id (it rejects `_` and `-`), which `S3RVER` is.
 */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export const localRegion = 'us-east-1';
