// Visits every state of an ASL definition, nested ones included (Map ItemProcessor/Iterator,
// Parallel Branches): state names bind Task handlers, so checks must see the whole tree.

export type StateDefinition = Record<string, unknown> & { Type: string };
export type MachineDefinition = Record<string, unknown> & { StartAt: string; States: Record<string, StateDefinition> };

export function nestedMachines(state: StateDefinition): MachineDefinition[] {
  if (state.Type === 'Map') {
    const processor = (state.ItemProcessor ?? state.Iterator) as MachineDefinition | undefined;
    return processor ? [processor] : [];
  }
  if (state.Type === 'Parallel') return (state.Branches as MachineDefinition[] | undefined) ?? [];
  return [];
}

export function forEachState(
  definition: MachineDefinition,
  visit: (name: string, state: StateDefinition) => void,
): void {
  for (const [name, state] of Object.entries(definition.States)) {
    visit(name, state);
    for (const machine of nestedMachines(state)) forEachState(machine, visit);
  }
}
