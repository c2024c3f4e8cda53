import { nestedMachines, type MachineDefinition, type StateDefinition } from './definitionWalk';

// aws-local-stepfunctions silently misruns Distributed Map states (ItemReader fails,
// ItemBatcher/ResultWriter/Tolerated* are ignored). Before handing a definition to it, each
// DISTRIBUTED Map becomes a Task state of the same name, bound by name (the library's
// taskResourceLocalHandlers) to the project's adapter. The library then still applies the
// fields a Task and a Map share, with the same semantics: InputPath before the adapter runs,
// ResultSelector → ResultPath → OutputPath on its output, Retry, Catch, Next/End.
// The Map-only fields (ItemReader, ItemSelector/Parameters, ItemsPath, ItemBatcher,
// MaxConcurrency*, Tolerated*, ResultWriter, ItemProcessor) are the adapter's to apply.

/** Never called: the substituted Task always has a local handler. Kept ARN-shaped for validators. */
export const distributedMapTaskResource = 'arn:aws:states:::threadline:local.distributedMap';

// A Map has no timeout on AWS; the library gives every Task one (60 s by default) and
// setTimeout overflows at 2^31 ms, so use the largest value that still fits (~24.8 days).
export const distributedMapTaskTimeoutSeconds = 2_147_483;

const fieldsKeptOnTask = ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch', 'Next', 'End'];

export function isDistributedMap(state: StateDefinition): boolean {
  if (state.Type !== 'Map') return false;
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

export interface SubstitutedDefinition {
  /** A copy of the definition with every reachable DISTRIBUTED Map replaced by a Task. */
  definition: MachineDefinition;
  /** The original Map states, by state name. */
  distributedMaps: Map<string, StateDefinition>;
}

export function substituteDistributedMaps(definition: MachineDefinition): SubstitutedDefinition {
  const copy = structuredClone(definition);
  const distributedMaps = new Map<string, StateDefinition>();
  substituteIn(copy, distributedMaps);
  return { definition: copy, distributedMaps };
}

function substituteIn(machine: MachineDefinition, found: Map<string, StateDefinition>): void {
  for (const [name, state] of Object.entries(machine.States)) {
    if (isDistributedMap(state)) {
      // Its ItemProcessor runs as child executions, which substitute their own maps.
      found.set(name, state);
      machine.States[name] = toTask(state);
      continue;
    }
    for (const nested of nestedMachines(state)) substituteIn(nested, found);
  }
}

function toTask(mapState: StateDefinition): StateDefinition {
  const task: StateDefinition = {
    Type: 'Task',
    Resource: distributedMapTaskResource,
    TimeoutSeconds: distributedMapTaskTimeoutSeconds,
  };
  for (const field of fieldsKeptOnTask) {
    if (field in mapState) task[field] = mapState[field];
  }
  return task;
}
