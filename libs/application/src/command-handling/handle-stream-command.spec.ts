import { refusePersonalData } from '@harbour/privacy';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChainVerifier, GENESIS_HASH, eventHash, historyEntryOf } from '@harbour/audit';
import type { Actor } from '@harbour/domain';
import { SqliteEventStore, type JsonObject } from '@harbour/event-store';
import { collect, tempDir } from '@harbour/testing';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import { handleStreamCommand, type CommandMeta, type Decider } from './handle-stream-command';

// A counter stream: `Tick n` appends n Ticked events in one append.
type Ticked = { type: 'Ticked'; data: { n: number } };
const counter: Decider<{ times: number }, Ticked, number, undefined> = {
  initialState: () => 0,
  decide: ({ times }, count) => Array.from({ length: times }, (_, i) => ({ type: 'Ticked', data: { n: count + i } })),
  evolve: (count) => count + 1,
};

// The deadline scheduler appends through the same path as a system actor, whose role no token carries.
const scheduler = { userId: 'system:deadline-scheduler', role: 'system', agency: 'harbour', region: '', panels: [] };

describe('handleStreamCommand and the hash chain', () => {
  const dir = tempDir('harbour-chain-');
  let store: SqliteEventStore;
  let schemas: EventSchemaRegistry;

  beforeAll(() => {
    const schemaDir = join(dir.path, 'schemas');
    mkdirSync(schemaDir);
    writeFileSync(
      join(schemaDir, 'Ticked.v1.schema.json'),
      JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://harbour.example/event-schemas/Ticked.v1.schema.json',
        type: 'object',
        additionalProperties: false,
        required: ['n'],
        properties: { n: { type: 'integer' } },
      }),
    );
    schemas = new EventSchemaRegistry(schemaDir);
    store = new SqliteEventStore({ filename: ':memory:' });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  const meta = (commandId: string, actor: Actor): CommandMeta => ({
    actor,
    occurredAt: '2015-09-01T09:00:00.000Z',
    commandId,
    correlationId: `corr-${commandId}`,
  });
  const tick = (times: number, commandId: string, actor: Actor) =>
    handleStreamCommand(
      { store, schemas, personalData: refusePersonalData((type, version) => schemas.personalDataPaths(type, version)) },
      'counter-1',
      counter,
      { times },
      meta(commandId, actor),
      undefined,
      () => undefined,
    );

  it('chains the first event to genesis, a batch within itself, and each append to the last', async () => {
    const lead: Actor = { userId: 'lead-1', role: 'lead', agency: 'dorset-police', region: 'south-west', panels: [] };
    await tick(1, 'c1', lead);
    await tick(3, 'c2', scheduler as unknown as Actor);
    const events = await collect(store.readStream('counter-1'));
    expect(events).toHaveLength(4);
    let previous = GENESIS_HASH;
    for (const event of events) {
      expect(event.metadata.prevHash).toBe(previous);
      expect(event.metadata.hash).toBe(eventHash(event, previous));
      previous = event.metadata.hash as string;
    }
    const sut = new ChainVerifier();
    for (const event of events) sut.add(event);
    expect(sut.broken).toEqual([]);
    // The system actor reads back as who it is.
    expect(historyEntryOf(events[3]).who).toEqual({
      userId: 'system:deadline-scheduler',
      role: 'system',
      agency: 'harbour',
      region: '',
    });
  });

  it('keeps the chain when a command is retried: nothing new is written', async () => {
    const before = await collect(store.readStream('counter-1'));
    const retried = await tick(3, 'c2', scheduler as unknown as Actor);
    expect(retried.replayed).toBe(true);
    const after = await collect(store.readStream('counter-1'));
    expect(after.map((event) => (event.metadata as JsonObject).hash)).toEqual(
      before.map((event) => (event.metadata as JsonObject).hash),
    );
  });
});
