import type { Role } from '../shared/actor.model';
import { WORKFLOWS } from './workflow.registry';

// Auditors read every history and issue no command; analysts see aggregates only. Checked over
// every registered definition, so a new one (or a new version) cannot grant them a command.
const READ_ONLY: readonly Role[] = ['auditor', 'analyst'];

describe('read-only roles in every workflow definition', () => {
  it.each(WORKFLOWS.map((definition) => [`${definition.id} v${definition.version}`, definition] as const))(
    '%s grants the auditor and the analyst no command in any state',
    (_name, definition) => {
      const grants = Object.entries(definition.commands).flatMap(([state, commands]) =>
        Object.entries(commands)
          .filter(([, roles]) => (roles ?? []).some((role) => READ_ONLY.includes(role)))
          .map(([command]) => `${state}: ${command}`),
      );
      expect(grants).toEqual([]);
      expect(Object.keys(definition.commands).length).toBeGreaterThan(1);
    },
  );
});
