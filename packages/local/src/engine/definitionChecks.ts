import { forEachState, type MachineDefinition } from './definitionWalk';

// Refuses definitions that aws-local-stepfunctions would accept but misrun, so a local run
// never "works" for the wrong reason.

// setTimeout overflows past 2^31-1 ms and then fires at once: 2,147,484 s would be an
// immediate States.Timeout locally.
export const maxLocalTimeoutSeconds = 2_147_483;

export function assertRunnableLocally(definition: MachineDefinition, taskHandlerNames: ReadonlySet<string>): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const checkTimeout = (where: string, value: unknown) => {
    if (typeof value === 'number' && value > maxLocalTimeoutSeconds) {
      problems.push(`${where}: TimeoutSeconds ${value} exceeds ${maxLocalTimeoutSeconds} (setTimeout overflow)`);
    }
  };
  checkTimeout('the state machine', definition.TimeoutSeconds);
  forEachState(definition, (name, state) => {
    // Task handlers bind by state name: a duplicate would silently share a handler.
    if (seen.has(name)) problems.push(`state name "${name}" is used more than once`);
    seen.add(name);
    if (state.Type === 'Task') {
      checkTimeout(`Task "${name}"`, state.TimeoutSeconds);
      // Without a local handler the library would call the real Lambda through the AWS SDK.
      if (!taskHandlerNames.has(name)) problems.push(`Task "${name}" has no local handler`);
    }
  });
  findJsonataOrAssign(definition, '$', problems);
  if (problems.length > 0) throw new Error(`Definition cannot run locally:\n- ${problems.join('\n- ')}`);
}

function findJsonataOrAssign(value: unknown, path: string, problems: string[]): void {
  if (typeof value === 'string') {
    if (value.trimStart().startsWith('{%')) problems.push(`${path}: JSONata expression (misexecuted locally)`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'QueryLanguage' && child === 'JSONata') problems.push(`${path}.QueryLanguage: JSONata (misexecuted locally)`);
    if (key === 'Assign') problems.push(`${path}.Assign: variables (misexecuted locally)`);
    findJsonataOrAssign(child, `${path}.${key}`, problems);
  }
}
