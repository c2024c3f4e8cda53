// DynamoDB tables and the archive bucket. Shapes come from packages/core (tableSchemas,
// objectKeys via deploymentPlan); this file only turns them into SST components.
import { bucketLifecycle, bucketLinkName, tablePlans } from "../packages/deployment/src/deploymentPlan";

function table(plan: (typeof tablePlans)[number]) {
  return new sst.aws.Dynamo(plan.name, {
    fields: plan.fields,
    primaryIndex: plan.primaryIndex,
    globalIndexes: plan.globalIndexes,
    ...(plan.ttl ? { ttl: plan.ttl } : {}),
    transform: {
      table: (args) => {
        args.pointInTimeRecovery = { enabled: true };
        args.serverSideEncryption = { enabled: true }; // AWS-owned key → AWS-managed KMS key
      },
    },
  });
}

// By the schemas' names, never by the plans' order.
const tables = Object.fromEntries(tablePlans.map((plan) => [plan.name, table(plan)])) as Record<
  (typeof tablePlans)[number]["name"],
  ReturnType<typeof table>
>;
export const conversationsTable = tables.Conversations;
export const importsTable = tables.Imports;

/**
 * Private (SST blocks public access and enforces HTTPS by default), encrypted at rest, uploads
 * and work files expire. CORS is set in web.ts, once the site's origin is known.
 */
export const bucket = new sst.aws.Bucket(bucketLinkName, {
  cors: false,
  lifecycle: bucketLifecycle.map((rule) => ({ ...rule })),
});

new aws.s3.BucketServerSideEncryptionConfiguration(`${bucketLinkName}Encryption`, {
  bucket: bucket.name,
  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
});
