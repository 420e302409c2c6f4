import type { DomainEvent } from '../case/case.events';
import type { PanelRegisteredDataV1 } from '../generated/event-data';

/** A regional panel joined the registry: cases of its region may be listed to it. */
export type PanelRegistered = DomainEvent<'PanelRegistered', PanelRegisteredDataV1>;

/** Every event of a `panel-<panelId>` stream. */
export type PanelEvent = PanelRegistered;

/** Every panel registry event type. */
export const PANEL_EVENT_TYPES = ['PanelRegistered'] as const satisfies readonly PanelEvent['type'][];

/**
 * The registry entry of one panel. Panel meetings, when they come, live in streams of their own
 * (`panel-meeting-<meetingId>`), so a panel's stream stays its registration.
 */
export function panelStreamName(panelId: string): string {
  return `panel-${panelId}`;
}
