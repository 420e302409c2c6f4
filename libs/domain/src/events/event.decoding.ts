import { DomainError } from '../shared/domain.errors';

/** What every reader has of a stored event: its type, its data, and the version it was written as. */
export interface StoredEventLike {
  readonly type: string;
  readonly data: object;
  readonly metadata: { readonly schemaVersion?: unknown };
}

/**
 * Turns the data of one stored version of an event type into the next version's. Pure, and total
 * over every event of that version ever stored: an upcaster that needs to guess is the wrong
 * design, and the new field belongs in a new event type instead.
 */
export interface Upcaster {
  readonly type: string;
  /** The version it reads; it returns version `from + 1`. */
  readonly from: number;
  readonly up: (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/**
 * A stored event no upcaster chain leads from to the version this build reads: written by a newer
 * build, or carrying no version at all. A fault of the data or the deployment, never a user's
 * (shown as a bare 500; a projection parks it).
 */
export class UndecodableEventError extends DomainError {
  readonly code = 'undecodable-event';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: unknown,
    readonly currentVersion: number,
  ) {
    super(
      `${eventType} schema version ${String(schemaVersion)} cannot be read: this build reads up to ${currentVersion}`,
    );
    this.name = 'UndecodableEventError';
  }
}

/**
 * The upcasters of every event type, by type and version: the one way a stored event becomes a
 * domain event. The write path appends each type at {@link currentVersion}; every reader
 * (command loading, audit history, projections) decodes through {@link decode}, so a stored
 * older version reads as the current shape everywhere.
 */
export class UpcasterRegistry {
  readonly #byType = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of upcasters) {
      const chain = this.#byType.get(upcaster.type) ?? [];
      if (upcaster.from !== chain.length + 1) {
        throw new Error(
          `${upcaster.type}: the upcaster from v${upcaster.from} leaves a gap; they run v1, v2, ... in order`,
        );
      }
      chain.push(upcaster);
      this.#byType.set(upcaster.type, chain);
    }
  }

  /** The version the write path records `type` as, and every reader reads it as. */
  currentVersion(type: string): number {
    return (this.#byType.get(type)?.length ?? 0) + 1;
  }

  /**
   * The event as the domain reads it today: its stored data, upcast from its stored version to
   * the current one. The data was validated against its version's schema on append, and each
   * upcaster yields the next version's shape, so the result is trusted as `Event`.
   * @throws UndecodableEventError for a version newer than this build reads, or none.
   */
  decode<Event extends { readonly type: string; readonly data: object }>(stored: StoredEventLike): Event {
    const current = this.currentVersion(stored.type);
    const version = stored.metadata.schemaVersion;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > current) {
      throw new UndecodableEventError(stored.type, version, current);
    }
    let data = stored.data as Readonly<Record<string, unknown>>;
    for (const upcaster of this.#byType.get(stored.type)?.slice(version - 1) ?? []) data = upcaster.up(data);
    return { type: stored.type, data } as unknown as Event;
  }
}
