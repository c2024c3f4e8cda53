// The web page (packages/web, Vite) on S3, served through the router of infra/siteUrl.ts, and the
// bucket's CORS for its origin. The build gets the API's URL and the OIDC settings (issuer and
// the web client's id) as VITE_OIDC_* variables.
import { bucketCorsRule } from "../packages/deployment/src/deploymentPlan";
import { viteDevServerUrl, webPageEnvironment } from "../packages/deployment/src/hostedSignIn";
import { api } from "./api";
import { oidcIssuer, userPoolClient } from "./signIn";
import { siteRouter, siteUrl } from "./siteUrl";
import { bucket } from "./storage";

export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "dist" },
  environment: webPageEnvironment({ apiUrl: api.url, oidcAuthority: oidcIssuer, oidcClientId: userPoolClient.id }),
  ...(siteRouter ? { router: { instance: siteRouter } } : {}),
  // `sst dev` runs Vite locally against the deployed API instead of deploying the site.
  dev: { command: "npm run dev", url: viteDevServerUrl },
});

// The browser uploads exports straight to S3 with a presigned POST.
new aws.s3.BucketCorsConfiguration("ArchiveCors", {
  bucket: bucket.name,
  corsRules: [bucketCorsRule([siteUrl])],
});
