import { DomainExamples, schemaVersionOf } from '@harbour/domain';
import { SqliteEventStore, type JsonObject, type RecordedEvent } from '@harbour/event-store';
import { ERASED, ephemeralPrivacyConfig, SubjectDataErasedError, type PersonalDataProtector } from '@harbour/privacy';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { createPersonalDataProtector } from './personal-data.provider';

const schemas = new EventSchemaRegistry();
const history = DomainExamples.historyIn['decided-negative']();
const stream = 'case-example';

function recorded(type: string, data: JsonObject, revision: number): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    stream,
    revision: BigInt(revision),
    position: BigInt(revision),
    type,
    data,
    metadata: { schemaVersion: schemaVersionOf(type) },
    recordedAt: new Date(0),
  };
}

describe('PersonalDataProtector over the event schemas', () => {
  let store: SqliteEventStore;
  let sut: PersonalDataProtector;
  let sealed: JsonObject[];

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    sut = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    sealed = await sut.seal(
      stream,
      history.map((event) => ({
        type: event.type,
        schemaVersion: schemaVersionOf(event.type),
        data: event.data as unknown as JsonObject,
      })),
    );
  });
  afterAll(async () => {
    await sut.keys.close();
    await store.close();
  });

  it('encrypts every marked field and nothing else, and the stored events still pass their relaxed schemas', () => {
    const referral = sealed[0];
    expect(referral.caseId).toBe(history[0].data.caseId);
    expect(String((referral.subject as JsonObject).name)).toMatch(/^enc:v1:/);
    expect(String((referral.subject as JsonObject).contact)).toMatch(/^enc:v1:/);
    expect((referral.subject as JsonObject).gender).toBe(
      (history[0].data as { subject: { gender: string } }).subject.gender,
    );
    for (const [index, event] of history.entries()) {
      expect(() => schemas.validateStored(event.type, schemaVersionOf(event.type), sealed[index])).not.toThrow();
    }
    expect(() => schemas.validate('ReferralRaised', 1, referral)).toThrow();
  });

  it('opens every event back to what was written, then reads [erased] once the key is destroyed', async () => {
    const events = history.map((event, index) => recorded(event.type, sealed[index], index));
    const opened = await sut.openAll(events);
    expect(opened.map((event) => event.data)).toEqual(history.map((event) => event.data));
    const subjectId = String((history[0].data as { subject: { subjectId: string } }).subject.subjectId);
    await sut.keys.destroy(subjectId);
    const erased = await sut.openAll(events);
    expect((erased[0].data.subject as JsonObject).name).toBe(ERASED);
    expect(erased[0].data.account).toBe(ERASED);
    await expect(
      sut.seal(stream, [{ type: 'CaseClosed', schemaVersion: 1, data: { notes: 'more' } as JsonObject }]),
    ).rejects.toThrow(SubjectDataErasedError);
  });
});
