import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type EventStore,
  type JsonObject,
  type RecordedEvent,
} from '@harbour/event-store';
import { decodeEvent, schemaVersionOf, type Actor } from '@harbour/domain';
import { chainEvents, headHashOf } from '@harbour/audit';
import type { PersonalDataSealer } from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, PreconditionFailedError } from './command-errors';

/**
 * Harbour itself, recording what time alone makes true (a deadline missed, a recovery period
 * run). Never a token's role: no request can act as the system.
 */
export interface SystemActor {
  readonly userId: `system:${string}`;
  readonly role: 'system';
  readonly agency: 'harbour';
  readonly region: '*';
  readonly panels: readonly [];
}

/** The deadline scheduler, as event metadata names it. */
export const DEADLINE_SCHEDULER_ACTOR: SystemActor = {
  userId: 'system:deadline-scheduler',
  role: 'system',
  agency: 'harbour',
  region: '*',
  panels: [],
};

/** Who issued a command: a user as the token says, or Harbour itself. */
export type CommandActor = Actor | SystemActor;

/** Everything about a command that is not its payload: who, when, why, and its concurrency guard. */
export interface CommandMeta<A extends CommandActor = Actor> {
  readonly actor: A;
  /** Business time of the command (ISO-8601): when it happened, which may precede its recording. */
  readonly occurredAt: string;
  /** Unique per command; a retry of the same command carries the same id. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** From `If-Match`: the revision the caller last saw. */
  readonly expectedRevision?: bigint;
  /**
   * When Harbour received the command (its clock; the store records it moments later). A business
   * time more than a day before it marks the entry `backdated` in the events' metadata.
   */
  readonly receivedAt?: string;
  /** A digest of the request, so a reused command id with another payload is refused. */
  readonly requestHash?: string;
}

/** The three pure functions of a stream's workflow. */
export interface Decider<Command, Event extends { type: string; data: object }, State, Context> {
  // Property syntax, not methods: parameters are then checked strictly, not bivariantly.
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State, context: Context) => Event[];
  readonly evolve: (state: State, event: Event) => State;
  /**
   * An evolve for one pass over the stream (`caseFold`): the same states, but free to grow the
   * lists it made in place. Loading uses it when given; `evolve` otherwise.
   */
  readonly fold?: () => (state: State, event: Event) => State;
}

export interface CommandOutcome<State> {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly state: State;
  /** True when this was a retry of a command already stored: nothing new was written. */
  readonly replayed: boolean;
  /** True when the decision produced no event (nothing to record): nothing was written. */
  readonly unchanged?: boolean;
}

export interface StreamCommandDeps {
  readonly store: EventStore;
  readonly schemas: EventSchemaRegistry;
  /**
   * Encrypts the new events' personal data (the fields their schemas mark) under the stream's
   * subject's key, after validation and before hashing: the chain covers the ciphertext, so
   * destroying the key later never breaks it.
   */
  readonly personalData: PersonalDataSealer;
}

/**
 * The one write path: load the stream, fold it, decide, validate the new events against their
 * schemas, encrypt their personal data, chain them to the stream's last event (`prevHash`, `hash`: see `@harbour/audit`), append
 * with the revision that was loaded. Handlers are thin shells over this.
 *
 * The expected revision makes the chain safe under concurrency: an append that raced another was
 * chained to a head that is no longer the head, and is refused as a conflict.
 */
export async function handleStreamCommand<Command, Event extends { type: string; data: object }, State, Context>(
  deps: StreamCommandDeps,
  stream: string,
  decider: Decider<Command, Event, State, Context>,
  command: Command,
  meta: CommandMeta<CommandActor>,
  context: Context,
  workflowOf: (state: State) => JsonObject | undefined,
): Promise<CommandOutcome<State>> {
  const cache = new Map();
  const { state, revision, position, lastByPeople, earlier, headHash } = await load(
    deps.store,
    stream,
    decider,
    meta.commandId,
    (event) => deps.personalData.open(event, cache),
  );

  if (earlier.length > 0) {
    // A retry of a command already stored (the first response was lost, or the process died
    // before answering): answer as the first time, write nothing.
    if (meta.requestHash && earlier[0].metadata.requestHash !== meta.requestHash) throw new IdempotencyKeyReusedError();
    const last = earlier[earlier.length - 1];
    return { stream, revision: last.revision, position: last.position, state, replayed: true };
  }
  // If-Match: the caller acted on the latest revision, or on one that only Harbour's own records
  // (a deadline missed, a recovery period ended) have followed since. Those change no premise a
  // person acted on, so they must not turn a lead's assessment into a 412.
  if (
    meta.expectedRevision !== undefined &&
    (revision === null || meta.expectedRevision > revision || meta.expectedRevision < (lastByPeople ?? -1n))
  ) {
    throw new PreconditionFailedError(stream, meta.expectedRevision, revision);
  }

  const events = decider.decide(command, state, context);
  if (events.length === 0) {
    return { stream, revision: revision ?? -1n, position: position ?? -1n, state, replayed: false, unchanged: true };
  }
  const newState = events.reduce(decider.evolve, state);
  const workflow = workflowOf(newState);
  // Each type is written at its current version; readers upcast older ones (`decodeEvent`).
  const versions = events.map((event) => schemaVersionOf(event.type));
  events.forEach((event, index) => deps.schemas.validate(event.type, versions[index], event.data));
  const sealed = await deps.personalData.seal(
    stream,
    events.map((event, index) => ({
      type: event.type,
      schemaVersion: versions[index],
      data: event.data as JsonObject,
    })),
  );

  const metadata = {
    actor: { ...meta.actor, panels: [...meta.actor.panels] },
    occurredAt: meta.occurredAt,
    ...(isBackdated(meta) ? { backdated: true } : {}),
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? meta.commandId,
    commandId: meta.commandId,
    ...(meta.requestHash ? { requestHash: meta.requestHash } : {}),
    ...(workflow ? { workflow } : {}),
  } as JsonObject;
  const metadataOf = (index: number): JsonObject => ({ ...metadata, schemaVersion: versions[index] });
  for (const index of events.keys()) deps.schemas.validateMetadata(metadataOf(index));
  try {
    const chained = chainEvents(
      headHash,
      events.map((event, index) => ({
        // Derived from the command id, so a retry that gets this far is the same append.
        id: uuidFromName(`${meta.commandId}:${index}`),
        type: event.type,
        data: sealed[index],
        metadata: metadataOf(index),
      })),
    );
    const result = await deps.store.appendToStream(stream, chained, { expectedRevision: revision ?? 'no_stream' });
    return { stream, revision: result.nextRevision, position: result.position, state: newState, replayed: false };
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) {
      throw new ConcurrencyConflictError(stream, error.actual === 'no_stream' ? null : error.actual);
    }
    throw error;
  }
}

/** A business time more than this before the command was received is back-dated. */
export const BACKDATED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the command records something well after the fact: its business time is more than a
 * day before Harbour received it (an old case imported, a meeting entered weeks later). Such an
 * entry is legitimate, but a reader must see that it was made later than it says.
 */
function isBackdated(meta: CommandMeta<CommandActor>): boolean {
  if (meta.receivedAt === undefined) return false;
  return Date.parse(meta.receivedAt) - Date.parse(meta.occurredAt) > BACKDATED_AFTER_MS;
}

/** Folds a stream into its current state. */
export async function loadState<Command, Event extends { type: string; data: object }, State, Context>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State, Context>,
  /** Applied to each event before it is folded (a reader decrypts personal data here). */
  open?: (event: RecordedEvent) => Promise<RecordedEvent>,
): Promise<{ state: State; revision: bigint | null }> {
  const { state, revision } = await load(store, stream, decider, undefined, open);
  return { state, revision };
}

async function load<Command, Event extends { type: string; data: object }, State, Context>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State, Context>,
  commandId: string | undefined,
  open?: (event: RecordedEvent) => Promise<RecordedEvent>,
): Promise<{
  state: State;
  revision: bigint | null;
  position: bigint | null;
  /** The revision of the last event a person's command wrote (not a system record). */
  lastByPeople: bigint | null;
  earlier: RecordedEvent[];
  headHash: string;
}> {
  let state = decider.initialState();
  let revision: bigint | null = null;
  let position: bigint | null = null;
  let lastByPeople: bigint | null = null;
  let last: RecordedEvent | undefined;
  const earlier: RecordedEvent[] = [];
  const evolve = decider.fold?.() ?? decider.evolve;
  try {
    for await (const stored of store.readStream(stream)) {
      const event = open ? await open(stored) : stored;
      state = evolve(state, decodeEvent<Event>(event));
      revision = event.revision;
      position = event.position;
      if (!isSystemRecord(event)) lastByPeople = event.revision;
      last = event;
      if (commandId && event.metadata.commandId === commandId) earlier.push(event);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state, revision, position, lastByPeople, earlier, headHash: headHashOf(last) };
}

function isSystemRecord(event: RecordedEvent): boolean {
  const actor = event.metadata.actor;
  return typeof actor === 'object' && actor !== null && !Array.isArray(actor) && actor.role === 'system';
}
