import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  RuleBrokenError,
  decidePanel,
  defaultPanels,
  evolvePanel,
  initialPanelState,
  panelDirectory,
  panelStreamName,
  type PanelContext,
  type PanelDirectory,
  type PanelEvent,
  type PanelState,
  type RegisterPanel,
  type RegisteredPanel,
  type WorkflowRoutes,
} from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataSealer } from '@harbour/privacy';
import {
  handleStreamCommand,
  loadState,
  type CommandActor,
  type CommandMeta,
  type CommandOutcome,
  type Decider,
  type SystemActor,
} from '../command-handling/handle-stream-command';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { WORKFLOW_ROUTES } from '../case/workflow-routes.token';
import { CLOCK, type Clock } from '../ports/clock.port';
import { uuidFromName } from '@harbour/shared';
import { PERSONAL_DATA } from '../privacy/personal-data.provider';

/** Harbour registering the panels its configuration names, as event metadata says. */
export const CONFIGURATION_ACTOR: SystemActor = {
  userId: 'system:configuration',
  role: 'system',
  agency: 'harbour',
  region: '*',
  panels: [],
};

const panelDecider: Decider<RegisterPanel, PanelEvent, PanelState, PanelContext> = {
  initialState: initialPanelState,
  decide: decidePanel,
  evolve: evolvePanel,
};

export interface PanelRegistryDeps {
  readonly store: EventStore;
  readonly schemas: EventSchemaRegistry;
  /** Registry events hold no personal data; the write path asks all the same. */
  readonly personalData: PersonalDataSealer;
}

/** Registers a panel in its own `panel-<panelId>` stream. */
export function registerPanel(
  deps: PanelRegistryDeps,
  panel: RegisteredPanel,
  meta: CommandMeta<CommandActor>,
): Promise<CommandOutcome<PanelState>> {
  return handleStreamCommand(
    deps,
    panelStreamName(panel.panelId),
    panelDecider,
    { type: 'RegisterPanel', data: panel },
    meta,
    { actor: meta.actor, now: meta.occurredAt },
    () => undefined,
  );
}

/** A panel as its stream records it (status `none` when it was never registered). */
export async function loadPanel(store: EventStore, panelId: string): Promise<PanelState> {
  return (await loadState(store, panelStreamName(panelId), panelDecider)).state;
}

/** The directory a decision about `panelIds` needs, read from their streams now. */
export async function panelDirectoryFor(store: EventStore, panelIds: readonly string[]): Promise<PanelDirectory> {
  const found: RegisteredPanel[] = [];
  for (const panelId of panelIds) {
    const state = await loadPanel(store, panelId);
    if (state.status === 'registered') found.push({ panelId: state.panelId, name: state.name, region: state.region });
  }
  return panelDirectory(found);
}

/**
 * Registers the panels the configuration names (`defaultPanels` of the workflow routes), each
 * once: a panel already registered, by an administrator or by an earlier start, is left as it is.
 * Safe for several processes at once (a deterministic command id; the loser replays the winner).
 */
export async function registerConfiguredPanels(
  deps: PanelRegistryDeps,
  panels: readonly RegisteredPanel[],
  now: Date,
): Promise<void> {
  for (const panel of panels) {
    const commandId = uuidFromName(`panel-configuration:${panel.panelId}`);
    try {
      await registerPanel(deps, panel, {
        actor: CONFIGURATION_ACTOR,
        occurredAt: now.toISOString(),
        commandId,
        correlationId: commandId,
      });
    } catch (error) {
      if (!(error instanceof RuleBrokenError && error.rule === 'panel-already-registered')) throw error;
    }
  }
}

/** An administrator registers a panel (`POST /panels`). */
export class RegisterPanelCommand extends Command<CommandOutcome<PanelState>> {
  constructor(
    readonly panel: RegisteredPanel,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** A registered panel, or `status: 'none'`. */
export class GetPanelQuery extends Query<PanelState> {
  constructor(readonly panelId: string) {
    super();
  }
}

@CommandHandler(RegisterPanelCommand)
export class RegisterPanelHandler implements ICommandHandler<RegisterPanelCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataSealer,
  ) {}

  execute({ panel, meta }: RegisterPanelCommand): Promise<CommandOutcome<PanelState>> {
    return registerPanel({ store: this.store, schemas: this.schemas, personalData: this.personalData }, panel, meta);
  }
}

@QueryHandler(GetPanelQuery)
export class GetPanelHandler implements IQueryHandler<GetPanelQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ panelId }: GetPanelQuery): Promise<PanelState> {
    return loadPanel(this.store, panelId);
  }
}

/** At start-up, records the configured panels in the registry (once each, ever). */
@Injectable()
export class ConfiguredPanels implements OnApplicationBootstrap {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: EventSchemaRegistry,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataSealer,
    @Inject(WORKFLOW_ROUTES) private readonly routes: WorkflowRoutes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return registerConfiguredPanels(
      { store: this.store, schemas: this.schemas, personalData: this.personalData },
      defaultPanels(this.routes),
      this.clock.now(),
    );
  }
}

export const PANEL_REGISTRY_PROVIDERS = [RegisterPanelHandler, GetPanelHandler, ConfiguredPanels];
