import type { LocalStateMachine } from './local/assembly.js';

/**
 * A Mermaid diagram of the state machine, drawn from its synthesized definition so the README never
 * shows a workflow other than the one that runs. `npm run diagram` prints it.
 */
type Rule = { Variable?: string; StringEquals?: string; BooleanEquals?: boolean; Or?: Rule[]; And?: Rule[]; Not?: Rule };
type State = { Type: string; Next?: string; End?: boolean; Default?: string; Choices?: (Rule & { Next: string })[]; Catch?: { ErrorEquals: string[]; Next: string }[]; Resource?: string };

/** A choice rule as a label: `po.status = ordered`, `po.status in ordered, deferred`. */
function label(rule: Rule): string {
  if (rule.Or && rule.Or.every((r) => r.Variable === rule.Or![0]!.Variable && r.StringEquals !== undefined)) {
    return `${rule.Or[0]!.Variable!.replace('$.', '')} in ${rule.Or.map((r) => r.StringEquals).join(', ')}`;
  }
  if (rule.Or) return rule.Or.map(label).join(' or ');
  if (rule.And) return rule.And.map(label).join(' and ');
  if (rule.Not) return `not (${label(rule.Not)})`;
  return `${rule.Variable?.replace('$.', '')} = ${rule.StringEquals ?? rule.BooleanEquals}`;
}

export function mermaid(definition: LocalStateMachine['definition']): string {
  const states = definition.States as Record<string, State>;
  const ids = new Map(Object.keys(states).map((name, i) => [name, `s${i}`]));
  const id = (name: string) => ids.get(name)!;
  // The Pass states that only name a failed step on its way to "Needs attention" are drawn as the edge itself.
  const relay = (name: string) => states[name]!.Type === 'Pass' && name.endsWith(' failed');
  const through = (name: string) => (relay(name) ? states[name]!.Next! : name);
  const lines = ['stateDiagram-v2', `  [*] --> ${id(String(definition.StartAt))}`];
  for (const [name, state] of Object.entries(states)) {
    if (relay(name)) continue;
    const waits = state.Resource?.endsWith('.waitForTaskToken') ? ' (task token)' : '';
    lines.push(`  state "${name}${waits}" as ${id(name)}`);
  }
  for (const [name, state] of Object.entries(states)) {
    if (relay(name)) continue;
    for (const choice of state.Choices ?? []) lines.push(`  ${id(name)} --> ${id(choice.Next)}: ${label(choice)}`);
    if (state.Default) lines.push(`  ${id(name)} --> ${id(state.Default)}: otherwise`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const c of state.Catch ?? []) lines.push(`  ${id(name)} --> ${id(through(c.Next))}: ${c.ErrorEquals.includes('States.ALL') ? 'fails' : c.ErrorEquals.join(', ')}`);
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail') lines.push(`  ${id(name)} --> [*]`);
  }
  return lines.join('\n');
}
