import type { JsonObject, JsonValue, RecordedEvent } from '@harbour/event-store';
import {
  ERASED,
  decryptValue,
  encryptValue,
  isCiphertext,
  keyIdOf,
  type FieldPlace,
} from '../crypto/personal-data.cipher';
import type { SubjectKeys, WritingKey } from '../keys/subject-keys';
import { NoSubjectForStreamError } from '../privacy.errors';

/** The JSON pointers of an event type's personal data (`*` for every array element). */
export type PersonalDataPaths = (eventType: string, schemaVersion: number) => readonly string[];

/** An event about to be appended: its type, schema version and plaintext data. */
export interface EventToSeal {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
}

/**
 * What the write path needs: the data of each new event with its personal data encrypted (the
 * one place plaintext personal data turns into ciphertext, before it is hashed and stored), and
 * the stream's events decrypted to fold them (a decider may copy a value already on file, such as
 * an evidence description into a decision, and must copy the value, not another field's ciphertext).
 */
export interface PersonalDataSealer {
  seal(stream: string, events: readonly EventToSeal[]): Promise<JsonObject[]>;
  open(event: RecordedEvent, cache?: KeyCache): Promise<RecordedEvent>;
}

/** What a value was replaced by for a reader who may not see it. */
export const UNREADABLE = '[unreadable]';

export interface PersonalDataProtectorDeps {
  readonly keys: SubjectKeys;
  readonly pathsOf: PersonalDataPaths;
  /**
   * The first event of a stream, for a stream whose subject the key store does not yet know (it
   * was started before encryption was): its `subject.subjectId` names the subject.
   */
  readonly firstEventOf: (stream: string) => Promise<{ readonly data: JsonObject } | undefined>;
}

/**
 * Encrypts and decrypts the fields the event schemas mark `"x-personal-data": true`, each under
 * the data key of the stream's subject (the potential victim).
 *
 * Which subject a stream belongs to: the event that starts it names them (`ReferralRaised`'s
 * `subject.subjectId`), and sealing it records stream → subject in the key store; every later
 * event of the stream is sealed for that subject. A stream the key store has no record of (one
 * begun before encryption) is looked up by its first event once and recorded.
 *
 * Reading: a value whose key was destroyed reads `[erased]`; so does a value stored in the clear
 * (before encryption) once its subject's data is erased. A value that fails authentication (moved
 * to another field or stream, or altered) reads `[unreadable]`.
 */
export class PersonalDataProtector implements PersonalDataSealer {
  constructor(private readonly deps: PersonalDataProtectorDeps) {}

  get keys(): SubjectKeys {
    return this.deps.keys;
  }

  async seal(stream: string, events: readonly EventToSeal[]): Promise<JsonObject[]> {
    const hasPersonal = events.some((event) =>
      this.deps.pathsOf(event.type, event.schemaVersion).some((path) => valuesAt(event.data, path).length > 0),
    );
    const named = events.map((event) => subjectNamedBy(event.data)).find((subject) => subject !== undefined);
    // A stream's first event links it to its subject and, for a new subject, claims a pooled key: both
    // asked for at once, so the key store writes them in one durable commit, not two in a row.
    const [linked, key] = await Promise.all([
      named === undefined ? undefined : this.deps.keys.store.linkStream(stream, named),
      hasPersonal ? this.writingKey(stream, named) : undefined,
    ]);
    if (named !== undefined && linked !== named) {
      throw new Error(`Stream ${stream} already belongs to another subject`);
    }
    if (key === undefined) return events.map((event) => event.data);
    return events.map((event) =>
      this.deps
        .pathsOf(event.type, event.schemaVersion)
        .reduce<JsonObject>(
          (data, pointer) =>
            mapAt(data, pointer, (value) =>
              encryptValue(value, key.key, key.keyId, { stream, eventType: event.type, pointer }),
            ) as JsonObject,
          event.data,
        ),
    );
  }

  private async writingKey(stream: string, named: string | undefined): Promise<WritingKey> {
    const subjectId = named ?? (await this.subjectOf(stream));
    if (subjectId === undefined) throw new NoSubjectForStreamError(stream);
    return this.deps.keys.writingKey(subjectId);
  }

  /** A recorded event with its personal data decrypted, or `[erased]` where the key is gone. */
  async open(event: RecordedEvent, cache: KeyCache = new Map()): Promise<RecordedEvent> {
    const schemaVersion = typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : 1;
    let paths: readonly string[];
    try {
      paths = this.deps.pathsOf(event.type, schemaVersion);
    } catch {
      return event; // An event type with no schema holds nothing marked.
    }
    let data = event.data;
    for (const pointer of paths) {
      const place = { stream: event.stream, eventType: event.type, pointer };
      const opened = new Map<JsonValue, JsonValue>();
      for (const value of valuesAt(data, pointer)) opened.set(value, await this.openOne(value, place, cache));
      data = mapAt(data, pointer, (value) => opened.get(value) ?? value) as JsonObject;
    }
    return data === event.data ? event : { ...event, data };
  }

  /** Every event opened, the keys looked up once for the lot. */
  async openAll(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const cache: KeyCache = new Map();
    const opened: RecordedEvent[] = [];
    for (const event of events) opened.push(await this.open(event, cache));
    return opened;
  }

  /**
   * One value copied out of an event (into a read model), decrypted for the place it came from;
   * anything not encrypted is returned as it is.
   */
  async openValue(value: JsonValue, place: FieldPlace, cache: KeyCache = new Map()): Promise<JsonValue> {
    return this.openOne(value, place, cache);
  }

  /** The subject whose personal data `stream` holds, if any. */
  async subjectOf(stream: string): Promise<string | undefined> {
    const known = await this.deps.keys.store.subjectOfStream(stream);
    if (known !== undefined) return known;
    const first = await this.deps.firstEventOf(stream);
    const subjectId = first && subjectNamedBy(first.data);
    return subjectId === undefined ? undefined : this.deps.keys.store.linkStream(stream, subjectId);
  }

  private async openOne(value: JsonValue, place: FieldPlace, cache: KeyCache): Promise<JsonValue> {
    if (!isCiphertext(value)) {
      // Stored in the clear (written before encryption): hidden once the subject is erased.
      const subjectId = await this.cachedSubject(place.stream, cache);
      return subjectId !== undefined && (await this.cachedKey(subjectId, cache)) === null ? ERASED : value;
    }
    const key = await this.cachedKey(keyIdOf(value)!, cache);
    if (key === null) return ERASED;
    try {
      return decryptValue(value, key, place) as JsonValue;
    } catch {
      return UNREADABLE;
    }
  }

  private async cachedKey(subjectId: string, cache: KeyCache): Promise<Buffer | null> {
    const cacheKey = `key:${subjectId}`;
    if (!cache.has(cacheKey)) cache.set(cacheKey, await this.deps.keys.keyForReading(subjectId));
    return cache.get(cacheKey) as Buffer | null;
  }

  private async cachedSubject(stream: string, cache: KeyCache): Promise<string | undefined> {
    const cacheKey = `stream:${stream}`;
    if (!cache.has(cacheKey)) cache.set(cacheKey, (await this.subjectOf(stream)) ?? null);
    return (cache.get(cacheKey) as string | null) ?? undefined;
  }
}

/** Keys and subjects looked up during one read (never kept longer: an erasure must show at once). */
export type KeyCache = Map<string, Buffer | string | null>;

/** A sealer for writers that never record personal data (the deadline scheduler): it refuses any. */
export function refusePersonalData(pathsOf: PersonalDataPaths): PersonalDataSealer {
  return {
    seal: async (stream, events) => {
      for (const event of events) {
        if (pathsOf(event.type, event.schemaVersion).some((path) => valuesAt(event.data, path).length > 0)) {
          throw new Error(`${event.type} for ${stream} holds personal data, which this writer may not record`);
        }
      }
      return events.map((event) => event.data);
    },
    // It folds only what it needs to track time (deadlines), none of it personal.
    open: async (event) => event,
  };
}

function subjectNamedBy(data: JsonObject): string | undefined {
  const subject = data.subject;
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return undefined;
  return typeof subject.subjectId === 'string' ? subject.subjectId : undefined;
}

function segmentsOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The values at a pointer (`*` for every array element); absent fields yield nothing. */
export function valuesAt(data: JsonValue, pointer: string): JsonValue[] {
  const walk = (value: JsonValue | undefined, segments: string[]): JsonValue[] => {
    if (value === undefined) return [];
    if (segments.length === 0) return [value];
    const [head, ...rest] = segments;
    if (head === '*') return Array.isArray(value) ? value.flatMap((item) => walk(item, rest)) : [];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    return walk(value[head], rest);
  };
  return walk(data, segmentsOf(pointer));
}

/** A copy of `data` with every value at `pointer` replaced by `change(value)`. */
function mapAt(data: JsonValue, pointer: string, change: (value: JsonValue) => JsonValue): JsonValue {
  const walk = (value: JsonValue | undefined, segments: string[]): JsonValue | undefined => {
    if (value === undefined) return undefined;
    if (segments.length === 0) return change(value);
    const [head, ...rest] = segments;
    if (head === '*') return Array.isArray(value) ? value.map((item) => walk(item, rest)!) : value;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(head in value)) return value;
    return { ...value, [head]: walk(value[head], rest)! };
  };
  return walk(data, segmentsOf(pointer))!;
}
