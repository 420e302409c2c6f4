import type { CaseStatus } from '../case/case.state';
import type { WorkflowDefinition } from './workflow.definition';

/**
 * The workflow's transitions as a Mermaid `stateDiagram-v2`: `[*]` into the first state, one edge
 * per (from, command, to) in the order the definition lists them, and each terminal state out to
 * `[*]`. A transition with no `to` (open only to name a refusal) draws no edge. Mermaid state ids
 * may not contain `-`, so a hyphenated status is drawn under its own name with an id using `_`.
 * The same definition always gives the same text.
 */
export function workflowToMermaid(definition: WorkflowDefinition): string {
  const lines = ['stateDiagram-v2'];
  for (const state of definition.states) {
    const id = mermaidId(state);
    if (id !== state) lines.push(`    state "${state}" as ${id}`);
  }
  for (const { from, command, to } of definition.transitions) {
    const source = from === 'none' ? '[*]' : mermaidId(from);
    for (const target of to) lines.push(`    ${source} --> ${mermaidId(target)} : ${command}`);
  }
  for (const state of definition.terminal) lines.push(`    ${mermaidId(state)} --> [*]`);
  return `${lines.join('\n')}\n`;
}

function mermaidId(state: CaseStatus): string {
  return state.replace(/-/g, '_');
}
