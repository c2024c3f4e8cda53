// `npm start`: Threadline on this machine, data kept in $THREADLINE_HOME or ./.threadline.
// Ctrl-C stops the server, the running imports and DynamoDB Local (no java left behind).

import { localSystemOptionsFromEnvironment } from '../app/localSystemEnvironment';
import { startLocalApp } from './localApp';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${process.env.PORT}`);
  process.exit(2);
}

console.log('Starting the local system (DynamoDB Local, S3, Step Functions)…');
// This process is the edge: what it takes from its environment it passes down as options.
const app = await startLocalApp({
  port,
  host: process.env.HOST,
  localUser: process.env.THREADLINE_LOCAL_USER || undefined,
  ...localSystemOptionsFromEnvironment(process.env),
});
console.log(`\nThreadline is running at ${app.url}  (local identity: ${app.userId}; data: ${app.system.dataDir})`);
console.log('Import from another terminal with `npx threadline import <export.zip>`. Press Ctrl-C to stop.\n');

let stoppingSince: number | null = null;
const stop = (signal: string) => {
  if (stoppingSince !== null) {
    // Ctrl-C reaches npm, tsx and this process at once (tsx also relays it): only a second,
    // deliberate press a moment later forces the exit.
    if (Date.now() - stoppingSince < 1500) return;
    console.log('Forcing exit (DynamoDB Local may be left running).');
    process.exit(130);
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stopping…`);
  app.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
