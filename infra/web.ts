// The web page (packages/web, Vite) on S3 + CloudFront, and the bucket's CORS for its origin
// (created here because the origin is only known once the site exists).
import { api, userPool, userPoolClient } from "./api";
import { bucketCorsRule } from "../packages/core/src/infra/deploymentPlan";
import { bucket } from "./storage";
import { account } from "./workflow";

const devUrl = "http://localhost:5173";

export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "dist" },
  environment: {
    VITE_API_URL: api.url,
    VITE_REGION: account.region,
    VITE_USER_POOL_ID: userPool.id,
    VITE_USER_POOL_CLIENT_ID: userPoolClient.id,
  },
  // `sst dev` runs Vite locally against the deployed API instead of deploying the site.
  dev: { command: "npm run dev", url: devUrl },
});

// The browser uploads exports straight to S3 with a presigned POST.
new aws.s3.BucketCorsConfiguration("ArchiveCors", {
  bucket: bucket.name,
  // Under `sst dev` the site is Vite on devUrl (site.url is devUrl then).
  corsRules: [bucketCorsRule([$dev ? $output(devUrl) : site.url])],
});
