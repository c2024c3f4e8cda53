import type { S3Event } from 'aws-lambda';
import { startImport } from '@threadline/core/importWorkflow/steps/startImport';
import { linkedImportContext, linkedWorkflowArn } from './linkedImportContext';

/** S3 ObjectCreated under imports/: bad keys are logged and dropped (no retry storm). */
export async function handler(event: S3Event) {
  return startImport(linkedImportContext(), event.Records ?? [], { workflowArn: linkedWorkflowArn() });
}
