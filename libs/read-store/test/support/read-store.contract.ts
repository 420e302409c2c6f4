import {
  CheckpointConflictError,
  InvalidReadStoreRequestError,
  RowShapeError,
  type ParkedEvent,
  type ReadStore,
  type Row,
  type RowChange,
  type TableQuery,
  type TableSpec,
} from '@harbour/read-store';

/** How a contract run gets a fresh, empty store and gets rid of it. */
export interface ReadStoreContractSetup {
  create(now: () => Date): Promise<ReadStore>;
  destroy(store: ReadStore): Promise<void>;
}

export const CASES: TableSpec = {
  table: 'test_cases',
  columns: {
    case_id: { type: 'text' },
    region: { type: 'text' },
    age: { type: 'integer', nullable: true },
    urgent: { type: 'boolean' },
    types: { type: 'json' },
    details: { type: 'json', nullable: true },
    raised_at: { type: 'timestamp' },
    closed_at: { type: 'timestamp', nullable: true },
  },
  key: ['case_id'],
  indexes: [['region', 'raised_at'], ['urgent']],
};

export const MEMBERS: TableSpec = {
  table: 'test_members',
  columns: { panel_id: { type: 'text' }, member_id: { type: 'integer' }, agency: { type: 'text' } },
  key: ['panel_id', 'member_id'],
  indexes: [['agency']],
};

const REGIONS = ['south-west', 'west-yorkshire', 'london'];
const TYPES = ['labour', 'sexual', 'criminal', 'domestic'];

/** Twenty cases with repeats in every order column, nulls, and a 2^53 - 1 integer. */
export function sampleCases(): Row[] {
  return Array.from({ length: 20 }, (_, i) => ({
    case_id: `case-${String(i).padStart(2, '0')}`,
    region: REGIONS[i % 3],
    age: i % 4 === 0 ? null : i === 7 ? Number.MAX_SAFE_INTEGER : (i * 7) % 50,
    urgent: i % 5 === 0,
    types: TYPES.filter((_, t) => (i >> t) & 1),
    details: i % 6 === 0 ? null : { note: `n${i}`, nested: { list: [i, i + 1] } },
    raised_at: `2015-04-${String(1 + (i % 9)).padStart(2, '0')}T09:00:00.000Z`,
    closed_at: i % 3 === 0 ? null : `2015-06-${String(1 + (i % 5)).padStart(2, '0')}T10:30:00.000Z`,
  }));
}

const upsert = (table: TableSpec, row: Row, position: bigint): RowChange => ({
  kind: 'upsert',
  table: table.table,
  row,
  position,
});

type Direction = 'asc' | 'desc';

/** The order `select` must produce, computed in JS: nulls lowest, key columns as tie-breakers. */
function expectedOrder(rows: readonly Row[], orderBy: readonly { column: string; direction: Direction }[]): Row[] {
  const order = [...orderBy, { column: 'case_id', direction: 'asc' as const }];
  const compare = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return (a as number | string) < (b as number | string) ? -1 : 1;
  };
  return [...rows].sort((x, y) => {
    for (const { column, direction } of order) {
      const c = compare(x[column], y[column]);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  });
}

async function pageThrough(store: ReadStore, query: Omit<TableQuery, 'after'>): Promise<Row[]> {
  const all: Row[] = [];
  let after: Row | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await store.select(CASES, { ...query, after });
    all.push(...page);
    if (page.length < query.limit) return all;
    after = page[page.length - 1];
  }
  throw new Error('paging did not end');
}

const withoutPosition = ({ last_position: _, ...row }: Row): Row => row;
const ids = (rows: readonly Row[]) => rows.map((row) => row.case_id);

/** The read store contract: every adapter behaves the same on every one of these. */
export function describeReadStoreContract(adapter: string, setup: ReadStoreContractSetup): void {
  describe(`read store contract: ${adapter}`, () => {
    let sut: ReadStore;
    let clock: Date;

    beforeEach(async () => {
      clock = new Date('2015-05-01T12:00:00.000Z');
      sut = await setup.create(() => clock);
      await sut.ensureTables([CASES, MEMBERS]);
    });
    afterEach(async () => {
      await setup.destroy(sut);
    });

    const commit = (
      changes: RowChange[],
      checkpoint: bigint,
      extra: Partial<Parameters<ReadStore['commitBatch']>[0]> = {},
    ) =>
      sut.commitBatch({
        projection: 'test',
        version: 1,
        tables: [CASES, MEMBERS],
        changes,
        parked: [],
        checkpoint,
        ...extra,
      });

    describe('tables and rows', () => {
      it('creates tables idempotently and starts empty', async () => {
        await sut.ensureTables([CASES, MEMBERS]);
        await expect(sut.select(CASES, { limit: 10 })).resolves.toEqual([]);
        await expect(sut.checkpoint('test')).resolves.toBeUndefined();
      });

      it('round-trips every column type, with last_position as lineage', async () => {
        const rows = sampleCases();
        await commit(
          rows.map((row, i) => upsert(CASES, row, BigInt(100 + i))),
          119n,
        );
        const selected = await sut.select(CASES, { limit: 100 });
        expect(selected).toEqual(rows.map((row, i) => ({ ...row, last_position: String(100 + i) })));
        const loaded = await sut.loadRows(CASES, [{ case_id: 'case-07' }, { case_id: 'case-12' }, { case_id: 'nope' }]);
        expect(loaded.sort((a, b) => String(a.case_id).localeCompare(String(b.case_id)))).toEqual([rows[7], rows[12]]);
      });

      it('stores timestamps as instants, given back in canonical ISO form', async () => {
        const row: Row = {
          ...sampleCases()[1],
          raised_at: '2015-04-01T10:00:00+01:00',
          closed_at: '2015-04-02T00:00:00Z',
        };
        await commit([upsert(CASES, row, 1n)], 1n);
        const [stored] = await sut.loadRows(CASES, [{ case_id: row.case_id }]);
        expect(stored.raised_at).toBe('2015-04-01T09:00:00.000Z');
        expect(stored.closed_at).toBe('2015-04-02T00:00:00.000Z');
      });

      it('updates a row in place on a later upsert, and deletes it', async () => {
        const [row] = sampleCases();
        await commit([upsert(CASES, row, 1n)], 1n);
        await commit([upsert(CASES, { ...row, region: 'london', urgent: false }, 2n)], 2n);
        expect(await sut.select(CASES, { limit: 10 })).toEqual([
          { ...row, region: 'london', urgent: false, last_position: '2' },
        ]);
        await commit([{ kind: 'delete', table: CASES.table, key: { case_id: row.case_id } }], 3n);
        await expect(sut.select(CASES, { limit: 10 })).resolves.toEqual([]);
      });

      it('applies the last change per row within a batch', async () => {
        const [a, b] = sampleCases();
        await commit(
          [
            upsert(CASES, a, 1n),
            { kind: 'delete', table: CASES.table, key: { case_id: a.case_id } },
            { kind: 'delete', table: CASES.table, key: { case_id: b.case_id } },
            upsert(CASES, b, 4n),
            upsert(CASES, { ...b, age: 99 }, 5n),
          ],
          5n,
        );
        expect(await sut.select(CASES, { limit: 10 })).toEqual([{ ...b, age: 99, last_position: '5' }]);
      });

      it('keys rows by composite keys', async () => {
        const members = [
          { panel_id: 'p1', member_id: 1, agency: 'police' },
          { panel_id: 'p1', member_id: 2, agency: 'nhs' },
          { panel_id: 'p2', member_id: 1, agency: 'gla' },
        ];
        await commit(
          members.map((row, i) => upsert(MEMBERS, row, BigInt(i + 1))),
          3n,
        );
        const loaded = await sut.loadRows(MEMBERS, [
          { panel_id: 'p1', member_id: 2 },
          { panel_id: 'p2', member_id: 1 },
          { panel_id: 'p2', member_id: 2 },
        ]);
        expect(loaded.sort((x, y) => String(x.agency).localeCompare(String(y.agency)))).toEqual([
          members[2],
          members[1],
        ]);
        await commit([{ kind: 'delete', table: MEMBERS.table, key: { panel_id: 'p1', member_id: 1 } }], 4n);
        expect((await sut.select(MEMBERS, { limit: 10 })).map(withoutPosition)).toEqual([members[1], members[2]]);
      });

      it('refuses rows that do not fit the spec, before writing anything', async () => {
        const [row] = sampleCases();
        const bad: Row[] = [
          { ...row, unknown_column: 'x' },
          { ...row, age: 1.5 },
          { ...row, urgent: 'yes' },
          { ...row, raised_at: 'not a date' },
          { ...row, region: null },
        ];
        for (const candidate of bad) {
          await expect(commit([upsert(CASES, candidate, 1n)], 1n)).rejects.toBeInstanceOf(RowShapeError);
        }
        await expect(sut.checkpoint('test')).resolves.toBeUndefined();
      });
    });

    describe('select', () => {
      const rows = sampleCases();
      beforeEach(async () => {
        await commit(
          rows.map((row, i) => upsert(CASES, row, BigInt(i + 1))),
          20n,
        );
      });
      const where = async (query: Omit<TableQuery, 'limit'>) => ids(await sut.select(CASES, { limit: 100, ...query }));
      const matching = (predicate: (row: Row) => boolean) => ids(rows.filter(predicate));

      it('filters with each comparison', async () => {
        const raisedAt = '2015-04-05T09:00:00.000Z';
        const at = (row: Row) => String(row.raised_at);
        await expect(where({ where: [{ column: 'region', op: '=', value: 'london' }] })).resolves.toEqual(
          matching((r) => r.region === 'london'),
        );
        await expect(where({ where: [{ column: 'region', op: '!=', value: 'london' }] })).resolves.toEqual(
          matching((r) => r.region !== 'london'),
        );
        await expect(where({ where: [{ column: 'raised_at', op: '<', value: raisedAt }] })).resolves.toEqual(
          matching((r) => at(r) < raisedAt),
        );
        await expect(where({ where: [{ column: 'raised_at', op: '<=', value: raisedAt }] })).resolves.toEqual(
          matching((r) => at(r) <= raisedAt),
        );
        await expect(where({ where: [{ column: 'age', op: '>', value: 20 }] })).resolves.toEqual(
          matching((r) => r.age !== null && Number(r.age) > 20),
        );
        await expect(where({ where: [{ column: 'age', op: '>=', value: 21 }] })).resolves.toEqual(
          matching((r) => r.age !== null && Number(r.age) >= 21),
        );
        await expect(where({ where: [{ column: 'urgent', op: '=', value: true }] })).resolves.toEqual(
          matching((r) => r.urgent === true),
        );
      });

      it('filters a timestamp range given in any offset', async () => {
        await expect(
          where({
            where: [
              { column: 'raised_at', op: '>=', value: '2015-04-03T10:00:00+01:00' },
              { column: 'raised_at', op: '<', value: '2015-04-05T09:00:00Z' },
            ],
          }),
        ).resolves.toEqual(matching((r) => ['2015-04-03', '2015-04-04'].includes(String(r.raised_at).slice(0, 10))));
      });

      it('filters with in, contains and null checks', async () => {
        await expect(
          where({ where: [{ column: 'region', op: 'in', value: ['london', 'south-west'] }] }),
        ).resolves.toEqual(matching((r) => r.region === 'london' || r.region === 'south-west'));
        await expect(where({ where: [{ column: 'age', op: 'in', value: [7, 14] }] })).resolves.toEqual(
          matching((r) => r.age === 7 || r.age === 14),
        );
        await expect(where({ where: [{ column: 'region', op: 'in', value: [] }] })).resolves.toEqual([]);
        await expect(where({ where: [{ column: 'types', op: 'contains', value: 'sexual' }] })).resolves.toEqual(
          matching((r) => (r.types as string[]).includes('sexual')),
        );
        await expect(where({ where: [{ column: 'closed_at', op: 'is-null' }] })).resolves.toEqual(
          matching((r) => r.closed_at === null),
        );
        await expect(where({ where: [{ column: 'details', op: 'is-not-null' }] })).resolves.toEqual(
          matching((r) => r.details !== null),
        );
        await expect(
          where({
            where: [
              { column: 'types', op: 'contains', value: 'labour' },
              { column: 'types', op: 'contains', value: 'criminal' },
              { column: 'urgent', op: '=', value: false },
            ],
          }),
        ).resolves.toEqual(
          matching(
            (r) => (r.types as string[]).includes('labour') && (r.types as string[]).includes('criminal') && !r.urgent,
          ),
        );
      });

      it('matches contains on array elements of the same JSON type only', async () => {
        const [row] = sampleCases();
        await commit(
          [
            upsert(CASES, { ...row, case_id: 'numbers', types: [1, 2, 3] }, 21n),
            upsert(CASES, { ...row, case_id: 'strings', types: ['1', '2'] }, 22n),
            upsert(CASES, { ...row, case_id: 'object', types: { a: 1 } }, 23n),
          ],
          23n,
        );
        await expect(where({ where: [{ column: 'types', op: 'contains', value: 1 }] })).resolves.toEqual(['numbers']);
        await expect(where({ where: [{ column: 'types', op: 'contains', value: '1' }] })).resolves.toEqual(['strings']);
      });

      it('filters and orders on last_position', async () => {
        await expect(where({ where: [{ column: 'last_position', op: '>', value: '17' }] })).resolves.toEqual([
          'case-17',
          'case-18',
          'case-19',
        ]);
        await expect(
          where({
            orderBy: [{ column: 'last_position', direction: 'desc' }],
            where: [{ column: 'age', op: 'is-null' }],
          }),
        ).resolves.toEqual(matching((r) => r.age === null).reverse());
      });

      const orders: { name: string; orderBy: { column: string; direction: Direction }[] }[] = [
        { name: 'the key', orderBy: [] },
        { name: 'the key, descending', orderBy: [{ column: 'case_id', direction: 'desc' }] },
        {
          name: 'region then raised_at',
          orderBy: [
            { column: 'region', direction: 'asc' },
            { column: 'raised_at', direction: 'asc' },
          ],
        },
        {
          name: 'region descending then raised_at ascending',
          orderBy: [
            { column: 'region', direction: 'desc' },
            { column: 'raised_at', direction: 'asc' },
          ],
        },
        { name: 'a nullable integer, ascending', orderBy: [{ column: 'age', direction: 'asc' }] },
        {
          name: 'a nullable timestamp descending, then a boolean',
          orderBy: [
            { column: 'closed_at', direction: 'desc' },
            { column: 'urgent', direction: 'asc' },
          ],
        },
      ];
      for (const { name, orderBy } of orders) {
        it(`orders by ${name} and pages through it with keyset cursors`, async () => {
          const expected = ids(expectedOrder(rows, orderBy));
          expect(ids(await sut.select(CASES, { orderBy, limit: 100 }))).toEqual(expected);
          for (const limit of [1, 3, 7]) {
            expect(ids(await pageThrough(sut, { orderBy, limit }))).toEqual(expected);
          }
        });
      }

      it('pages through a filtered result', async () => {
        const orderBy = [{ column: 'age', direction: 'desc' as const }];
        const filter = [{ column: 'region', op: '!=' as const, value: 'london' }];
        const expected = ids(
          expectedOrder(
            rows.filter((r) => r.region !== 'london'),
            orderBy,
          ),
        );
        expect(ids(await pageThrough(sut, { orderBy, where: filter, limit: 4 }))).toEqual(expected);
      });

      it('refuses unknown columns, json comparisons and incomplete cursors', async () => {
        const invalid: TableQuery[] = [
          { where: [{ column: 'nope', op: '=', value: 1 }], limit: 1 },
          { where: [{ column: 'details', op: '=', value: 'x' }], limit: 1 },
          { where: [{ column: 'region', op: 'contains', value: 'x' }], limit: 1 },
          { where: [{ column: 'age', op: '=', value: 'seven' }], limit: 1 },
          { orderBy: [{ column: 'types', direction: 'asc' }], limit: 1 },
          { orderBy: [{ column: 'region', direction: 'asc' }], after: { region: 'london' }, limit: 1 },
          { limit: 0 },
        ];
        for (const query of invalid) {
          await expect(sut.select(CASES, query)).rejects.toBeInstanceOf(InvalidReadStoreRequestError);
        }
      });
    });

    describe('checkpoints and atomic batches', () => {
      const parked = (position: bigint, error = 'Error: boom'): ParkedEvent => ({
        projection: 'test',
        position,
        eventId: `event-${position}`,
        stream: 'case-1',
        type: 'Poison',
        error,
        parkedAt: '2015-05-01T12:00:00.000Z',
      });

      it('moves the checkpoint with each batch and bumps its generation', async () => {
        await commit([], 5n);
        clock = new Date('2015-05-02T08:00:00.000Z');
        await commit([], 9n, { version: 2 });
        await expect(sut.checkpoint('test')).resolves.toEqual({
          projection: 'test',
          position: 9n,
          version: 2,
          generation: 2,
          updatedAt: '2015-05-02T08:00:00.000Z',
        });
      });

      it('refuses a batch computed against another generation, writing nothing', async () => {
        const [row] = sampleCases();
        await commit([], 5n, { expectedGeneration: 0 });
        await expect(commit([upsert(CASES, row, 6n)], 6n, { expectedGeneration: 0 })).rejects.toBeInstanceOf(
          CheckpointConflictError,
        );
        await expect(sut.select(CASES, { limit: 10 })).resolves.toEqual([]);
        await expect(sut.checkpoint('test')).resolves.toMatchObject({ position: 5n, generation: 1 });
        await commit([upsert(CASES, row, 6n)], 6n, { expectedGeneration: 1 });
        await expect(sut.checkpoint('test')).resolves.toMatchObject({ position: 6n, generation: 2 });
      });

      it('lets exactly one of two concurrent first batches win', async () => {
        const outcomes = await Promise.allSettled([
          commit([], 1n, { expectedGeneration: 0 }),
          commit([], 2n, { expectedGeneration: 0 }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const [failure] = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(failure.reason).toBeInstanceOf(CheckpointConflictError);
        await expect(sut.checkpoint('test')).resolves.toMatchObject({ generation: 1 });
      });

      it('rolls back rows, parked events and checkpoint when a change fails in the database', async () => {
        const [a, b] = sampleCases();
        await commit([upsert(CASES, a, 1n)], 1n);
        const missing: TableSpec = { ...MEMBERS, table: 'test_never_created' };
        await expect(
          sut.commitBatch({
            projection: 'test',
            version: 1,
            tables: [CASES, missing],
            changes: [
              upsert(CASES, { ...a, region: 'changed' }, 2n),
              upsert(CASES, b, 2n),
              upsert(missing, { panel_id: 'p', member_id: 1, agency: 'x' }, 3n),
            ],
            parked: [parked(3n)],
            checkpoint: 3n,
          }),
          // better-sqlite3's errors come from the realm of the first test file that loaded the
          // native module, so they are not `instanceof Error` in this one: match the message.
        ).rejects.toMatchObject({ message: expect.stringContaining('test_never_created') });
        expect(await sut.select(CASES, { limit: 10 })).toEqual([{ ...a, last_position: '1' }]);
        await expect(sut.parkedEvents()).resolves.toEqual([]);
        await expect(sut.checkpoint('test')).resolves.toMatchObject({ position: 1n, generation: 1 });
      });

      it('parks events with the batch, keeps the latest error, and unparks them', async () => {
        await commit([], 3n, { parked: [parked(2n), parked(3n)] });
        await commit([], 3n, { parked: [parked(3n, 'Error: again')] });
        expect((await sut.parkedEvents('test')).map((p) => [p.position, p.error])).toEqual([
          [2n, 'Error: boom'],
          [3n, 'Error: again'],
        ]);
        await expect(sut.parkedEvents('other')).resolves.toEqual([]);
        await commit([], 3n, { unparked: [2n] });
        await sut.unpark('test', 3n);
        await expect(sut.parkedEvents()).resolves.toEqual([]);
      });
    });

    describe('shadow tables', () => {
      it('swaps shadow tables in with their checkpoint and parked events, atomically and repeatedly', async () => {
        const rows = sampleCases();
        await commit([upsert(CASES, rows[0], 1n)], 1n, {
          parked: [
            {
              projection: 'test',
              position: 1n,
              eventId: 'old',
              stream: 's',
              type: 'T',
              error: 'e',
              parkedAt: '2015-05-01T00:00:00Z',
            },
          ],
        });
        for (const round of [1, 2]) {
          await sut.ensureTables([CASES, MEMBERS], '__rebuild');
          const built = rows.slice(round, round + 3);
          await sut.commitBatch({
            projection: 'test',
            version: 1 + round,
            tables: [CASES, MEMBERS],
            changes: built.map((row) => upsert(CASES, row, 40n)),
            parked: [
              {
                projection: 'test',
                position: 41n,
                eventId: `e${round}`,
                stream: 's',
                type: 'T',
                error: 'e',
                parkedAt: '2015-05-01T00:00:00Z',
              },
            ],
            checkpoint: 42n,
            suffix: '__rebuild',
          });
          // The live table still serves the old rows while the shadow is built.
          expect(await sut.select(CASES, { limit: 10 })).toHaveLength(round === 1 ? 1 : 3);
          await expect(sut.checkpoint('test__rebuild')).resolves.toMatchObject({ position: 42n });
          const before = (await sut.checkpoint('test'))!.generation;

          await sut.swapIn('test', 1 + round, [CASES, MEMBERS], '__rebuild', 42n);

          expect(ids(await sut.select(CASES, { limit: 10 }))).toEqual(ids(built));
          expect(
            ids(
              await sut.select(CASES, {
                where: [{ column: 'region', op: '=', value: String(built[0].region) }],
                limit: 10,
              }),
            ),
          ).toEqual([built[0].case_id]);
          const checkpoint = await sut.checkpoint('test');
          expect(checkpoint).toMatchObject({ position: 42n, version: 1 + round });
          expect(checkpoint!.generation).toBeGreaterThan(before);
          await expect(sut.checkpoint('test__rebuild')).resolves.toBeUndefined();
          expect((await sut.parkedEvents()).map((p) => [p.projection, p.eventId])).toEqual([['test', `e${round}`]]);
        }
      });

      it('discards a shadow build', async () => {
        await sut.ensureTables([CASES], '__rebuild');
        await sut.commitBatch({
          projection: 'test',
          version: 1,
          tables: [CASES],
          changes: [upsert(CASES, sampleCases()[0], 1n)],
          parked: [],
          checkpoint: 1n,
          suffix: '__rebuild',
        });
        await sut.discardShadow('test', [CASES], '__rebuild');
        await expect(sut.checkpoint('test__rebuild')).resolves.toBeUndefined();
        await sut.ensureTables([CASES], '__rebuild');
        await expect(sut.loadRows(CASES, [{ case_id: 'case-00' }], '__rebuild')).resolves.toEqual([]);
      });
    });
  });
}
