// Executions are named after their import, so an import's execution ARN is computed, never stored.

/** Executions are named after their import: `…:stateMachine:<name>` → `…:execution:<name>:<importId>`. */
export function executionArnOf(workflowArn: string, importId: string): string {
  return `${workflowArn.replace(':stateMachine:', ':execution:')}:${importId}`;
}

/** The console page of one execution (an import: executions are named after the import id). */
export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
