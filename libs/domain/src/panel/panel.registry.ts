import type { Actor } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import { REGIONS, type Region } from '../shared/police-regions.model';
import { latestWorkflow } from '../workflow/workflow.registry';
import type { WorkflowRoutes } from '../workflow/workflow.routes';
import type { PanelEvent } from './panel.events';

/** A panel as the registry knows it: which region's cases it decides. */
export interface RegisteredPanel {
  readonly panelId: string;
  readonly name: string;
  readonly region: Region;
}

/** Looks a panel up by id: undefined for a panel the registry does not hold. */
export type PanelDirectory = (panelId: string) => RegisteredPanel | undefined;

export type PanelState = { readonly status: 'none' } | ({ readonly status: 'registered' } & RegisteredPanel);

export interface RegisterPanel {
  readonly type: 'RegisterPanel';
  readonly data: RegisteredPanel;
}

export interface PanelContext {
  readonly actor: Actor | { readonly role: 'system' };
  readonly now: string;
}

export function initialPanelState(): PanelState {
  return { status: 'none' };
}

/** Registers a panel, once: administrators, or Harbour itself from its configuration. */
export function decidePanel(command: RegisterPanel, state: PanelState, context: PanelContext): PanelEvent[] {
  if (context.actor.role !== 'admin' && context.actor.role !== 'system') {
    throw new NotPermittedError('role-not-permitted', 'Only an admin may register a panel');
  }
  if (state.status === 'registered') {
    throw new RuleBrokenError(
      'panel-already-registered',
      `Panel ${state.panelId} is already registered, for ${state.region}`,
    );
  }
  const { panelId, name, region } = command.data;
  if (name.trim() === '') throw new RuleBrokenError('text-required', 'A panel needs a name');
  return [{ type: 'PanelRegistered', data: { panelId, name, region, registeredAt: context.now } }];
}

export function evolvePanel(state: PanelState, event: PanelEvent): PanelState {
  switch (event.type) {
    case 'PanelRegistered':
      return { status: 'registered', panelId: event.data.panelId, name: event.data.name, region: event.data.region };
    default:
      return assertNever(event.type);
  }
}

/** The panel a region's cases are listed to when nothing else is configured: `<region>-panel`. */
export function defaultPanelIdOf(region: Region): string {
  return `${region}-panel`;
}

/**
 * The panels Harbour registers from its configuration: one per region whose referrals start
 * under a workflow decided by panels (the pilot's South West and West Yorkshire by default).
 * Others are registered by an administrator.
 */
export function defaultPanels(routes: WorkflowRoutes): RegisteredPanel[] {
  return REGIONS.filter((region) => {
    const id = routes[region];
    return id !== undefined && latestWorkflow(id)?.rules.panelQuorum !== undefined;
  }).map((region) => ({ panelId: defaultPanelIdOf(region), name: `${titleOf(region)} regional panel`, region }));
}

/** A directory over a list of panels. */
export function panelDirectory(panels: readonly RegisteredPanel[]): PanelDirectory {
  const byId = new Map(panels.map((panel) => [panel.panelId, panel]));
  return (panelId) => byId.get(panelId);
}

function titleOf(region: Region): string {
  return region
    .split('-')
    .map((word, i) => (i > 0 && (word === 'and' || word === 'the') ? word : word[0].toUpperCase() + word.slice(1)))
    .join(' ');
}
