import type { LocalStateMachine } from './local/assembly.js';

/**
 * A Mermaid diagram of the state machine, drawn from its synthesized definition so the README never
 * shows a workflow other than the one that runs. `npm run diagram` prints it.
 */
type State = { Type: string; Next?: string; End?: boolean; Default?: string; Choices?: { Next: string; Variable?: string; StringEquals?: string; BooleanEquals?: boolean }[]; Catch?: { ErrorEquals: string[]; Next: string }[]; Resource?: string };

export function mermaid(definition: LocalStateMachine['definition']): string {
  const states = definition.States as Record<string, State>;
  const ids = new Map(Object.keys(states).map((name, i) => [name, `s${i}`]));
  const id = (name: string) => ids.get(name)!;
  const lines = ['stateDiagram-v2', `  [*] --> ${id(String(definition.StartAt))}`];
  for (const [name, state] of Object.entries(states)) {
    const waits = state.Resource?.endsWith('.waitForTaskToken') ? ' (task token)' : '';
    lines.push(`  state "${name}${waits}" as ${id(name)}`);
  }
  for (const [name, state] of Object.entries(states)) {
    for (const choice of state.Choices ?? []) {
      const value = choice.StringEquals ?? choice.BooleanEquals;
      lines.push(`  ${id(name)} --> ${id(choice.Next)}: ${choice.Variable?.replace('$.', '')} = ${value}`);
    }
    if (state.Default) lines.push(`  ${id(name)} --> ${id(state.Default)}: otherwise`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const c of state.Catch ?? []) lines.push(`  ${id(name)} --> ${id(c.Next)}: ${c.ErrorEquals.join(', ')}`);
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail') lines.push(`  ${id(name)} --> [*]`);
  }
  return lines.join('\n');
}
