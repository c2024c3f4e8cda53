// Run as a fresh Lambda container would be, with the SST_RESOURCE_* variables of the test that
// spawns it: prints what the linked contexts resolve to (or the error reading the ARN gives).
import { linkedApiContext } from '../src/api/linkedApiContext';
import { linkedImportContext } from '../src/import/linkedImportContext';

const importContext = linkedImportContext();
const apiContext = linkedApiContext();
const attempt = (read: () => unknown) => {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
process.stdout.write(
  JSON.stringify({
    tables: attempt(() => ({ ...importContext.resources.tables })),
    bucket: attempt(() => importContext.resources.bucket),
    importWorkflowArn: attempt(() => importContext.workflowArn),
    apiWorkflowArn: attempt(() => apiContext.workflowArn()),
    region: apiContext.region,
  }),
);
for (const client of [...Object.values(importContext.clients), ...Object.values(apiContext.clients)]) client.destroy();
