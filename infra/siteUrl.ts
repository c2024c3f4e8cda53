// Where the web page is served, known before the page is built. The user pool client needs it
// (callback URLs) and the page build needs the client's id: taking the URL from the StaticSite
// itself would be a cycle (client → site → build → client). A Router is a CloudFront
// distribution of its own, created first; the site is then served through it.
import { viteDevServerUrl } from "../packages/deployment/src/hostedSignIn";

/** Under `sst dev` the page is not deployed (Vite runs locally), so there is no router. */
export const siteRouter = $dev ? undefined : new sst.aws.Router("WebRouter");

export const siteUrl = siteRouter ? siteRouter.url : $output(viteDevServerUrl);
