import './promiseWithResolvers';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// The library does not export its payload-template / JSONPath evaluator, so the Distributed
// Map adapter borrows it through a one-state Pass machine: ItemSelector, ItemReader
// Parameters and *Path fields then follow exactly the rules (".$" keys, "$$" context paths,
// States.* intrinsics) that the rest of the local execution follows.
// Known gap: the library overwrites $$.Execution.Input and $$.Execution.StartTime with the
// Pass machine's own run, so those two context fields are not the parent execution's here.

export type ContextObject = Record<string, unknown>;

const evaluatorStateName = 'Evaluate';

async function runPass(parameters: unknown, input: unknown, context: ContextObject): Promise<unknown> {
  const definition = {
    StartAt: evaluatorStateName,
    States: { [evaluatorStateName]: { Type: 'Pass', Parameters: parameters, End: true } },
  } as unknown as StateMachineDefinition;
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  try {
    return await machine.run(input as never, { context }).result;
  } catch (error) {
    // ExecutionError wraps the state's error (e.g. States.Runtime for a path matching nothing).
    throw error instanceof Error && error.cause instanceof Error ? error.cause : error;
  }
}

/** Evaluates an ASL payload template (JSONPath flavour) against `input` and `context`. */
export async function evaluatePayloadTemplate(template: unknown, input: unknown, context: ContextObject): Promise<unknown> {
  if (typeof template !== 'object' || template === null) return template;
  return runPass(template, input, context);
}

/** Evaluates one reference path (`$.a.b` or `$$.Map.Item.Value`). */
export async function evaluatePath(path: string, input: unknown, context: ContextObject): Promise<unknown> {
  const evaluated = (await runPass({ 'value.$': path }, input, context)) as { value: unknown };
  return evaluated.value;
}
