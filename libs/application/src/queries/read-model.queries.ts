import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CaseNotFoundError,
  NotPermittedError,
  caseScopeOf,
  caseStreamName,
  inCaseScope,
  type Actor,
} from '@harbour/domain';
import type { JsonValue } from '@harbour/event-store';
import type { KeyCache, PersonalDataProtector } from '@harbour/privacy';
import { PERSONAL_DATA } from '../privacy/personal-data.provider';
import {
  CASE_READ_MODELS,
  caseListPage,
  caseListQuery,
  caseStatusReadModel,
  decisionHistoryReadModel,
  panelScheduleReadModel,
  toCaseSummary,
  toDecisionRecord,
  PANEL_SCHEDULE_ORDER,
  decodePanelScheduleCursor,
  panelSchedulePage,
  type CaseListFilters,
  type CaseListPage,
  type CaseListSort,
  type CaseSummary,
  type DecisionRecord,
  type PanelSchedulePage,
} from '@harbour/projections';
import { READ_STORE, type Condition, type ReadStore, type Row } from '@harbour/read-store';

/** The panels an actor sits on; an empty `in` matches nothing, so a member of no panel sees nothing. */
function onActorsPanels(actor: Actor): Condition {
  return { column: 'panel_id', op: 'in', value: actor.panels.length > 0 ? [...actor.panels] : [''] };
}

/** The actor's case scope (`caseScopeOf`, the decider's too) as conditions on a row. */
function scopeConditions(actor: Actor): Condition[] {
  switch (caseScopeOf(actor.role)) {
    case 'region':
      return [{ column: 'region', op: '=', value: actor.region }];
    case 'panel':
      return [onActorsPanels(actor)];
    case 'national':
      return [];
    case 'referrer':
      return [{ column: 'referring_agency', op: '=', value: actor.agency }];
  }
}

/**
 * Answers a read of a case outside the actor's scope exactly as a read of a case that does not
 * exist (404, the same body): a 403 that named the case's region told anyone with a token which
 * case ids exist, and where. A case listed to no panel (`panel_id` null) is on no one's panel.
 */
function assertInScope(actor: Actor, row: Row, caseId: string): void {
  const panelId = typeof row.panel_id === 'string' ? row.panel_id : null;
  if (!inCaseScope(actor, { region: String(row.region), panelId, referringAgency: String(row.referring_agency) }))
    throw new CaseNotFoundError(caseId);
}

export class ListCasesQuery extends Query<CaseListPage> {
  constructor(
    readonly actor: Actor,
    readonly filters: CaseListFilters,
    readonly sort: CaseListSort,
    readonly cursor: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

export class GetCaseSummaryQuery extends Query<CaseSummary> {
  constructor(
    readonly actor: Actor,
    readonly caseId: string,
  ) {
    super();
  }
}

export class GetCaseDecisionsQuery extends Query<DecisionRecord[]> {
  constructor(
    readonly actor: Actor,
    readonly caseId: string,
  ) {
    super();
  }
}

export interface PanelScheduleFilters {
  readonly panelId?: string;
  /** Meetings at or after this instant. */
  readonly from?: string;
  /** Meetings before this instant. */
  readonly to?: string;
}

export class ListPanelScheduleQuery extends Query<PanelSchedulePage> {
  constructor(
    readonly actor: Actor,
    readonly filters: PanelScheduleFilters,
    readonly limit: number,
    /** `nextCursor` of the previous page. */
    readonly cursor?: string,
  ) {
    super();
  }
}

/** Which projection serves these queries: read-your-writes waits on its checkpoint. */
export const CASE_QUERIES_PROJECTION = CASE_READ_MODELS.name;

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ actor, filters, sort, cursor, limit }: ListCasesQuery): Promise<CaseListPage> {
    const query = caseListQuery(filters, sort, cursor, limit);
    const rows = await this.readStore.select(caseStatusReadModel, {
      ...query,
      where: [...(query.where ?? []), ...scopeConditions(actor)],
    });
    return caseListPage(rows, sort, limit);
  }
}

@QueryHandler(GetCaseSummaryQuery)
export class GetCaseSummaryHandler implements IQueryHandler<GetCaseSummaryQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ actor, caseId }: GetCaseSummaryQuery): Promise<CaseSummary> {
    const [row] = await this.readStore.select(caseStatusReadModel, {
      where: [{ column: 'case_id', op: '=', value: caseId }],
      limit: 1,
    });
    if (!row) throw new CaseNotFoundError(caseId);
    assertInScope(actor, row, caseId);
    return toCaseSummary(row);
  }
}

@QueryHandler(GetCaseDecisionsQuery)
export class GetCaseDecisionsHandler implements IQueryHandler<GetCaseDecisionsQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
  ) {}

  async execute({ actor, caseId }: GetCaseDecisionsQuery): Promise<DecisionRecord[]> {
    const [status] = await this.readStore.select(caseStatusReadModel, {
      where: [{ column: 'case_id', op: '=', value: caseId }],
      limit: 1,
    });
    if (!status) throw new CaseNotFoundError(caseId);
    assertInScope(actor, status, caseId);
    const rows = await this.readStore.select(decisionHistoryReadModel, {
      where: [{ column: 'case_id', op: '=', value: caseId }],
      orderBy: [{ column: 'decided_at', direction: 'asc' }],
      limit: 1000,
    });
    const cache: KeyCache = new Map();
    const records: DecisionRecord[] = [];
    for (const row of rows) records.push(await openDecisionRecord(toDecisionRecord(row), this.personalData, cache));
    return records;
  }
}

/**
 * `decision_history` copies the decision events' personal data as stored, encrypted: decrypted
 * here for the reader, each value for the event and field it was encrypted for (`[erased]` once
 * the subject's key is destroyed). The read model itself never holds it in the clear.
 */
async function openDecisionRecord(
  record: DecisionRecord,
  personalData: PersonalDataProtector,
  cache: KeyCache,
): Promise<DecisionRecord> {
  const stream = caseStreamName(record.caseId);
  const open = async <T>(value: T, eventType: string, pointer: string): Promise<T> =>
    (await personalData.openValue(value as JsonValue, { stream, eventType, pointer }, cache)) as T;
  const decisionType = record.stage === 'reasonable-grounds' ? 'ReasonableGroundsDecisionMade' : 'DecisionRecorded';
  const evidenceReliedOn = [];
  for (const item of record.evidenceReliedOn) {
    evidenceReliedOn.push({
      ...item,
      description: await open(item.description, 'DecisionRecorded', '/evidenceReliedOn/*/description'),
    });
  }
  const dissent = [];
  for (const item of record.dissent) {
    dissent.push({ ...item, reason: await open(item.reason, 'DecisionRecorded', '/dissent/*/reason') });
  }
  return {
    ...record,
    rationale: await open(record.rationale, decisionType, '/rationale'),
    evidenceReliedOn,
    dissent,
    secondReview: record.secondReview && {
      ...record.secondReview,
      rationale: await open(record.secondReview.rationale, 'SecondReviewCompleted', '/rationale'),
    },
  };
}

@QueryHandler(ListPanelScheduleQuery)
export class ListPanelScheduleHandler implements IQueryHandler<ListPanelScheduleQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ actor, filters, limit, cursor }: ListPanelScheduleQuery): Promise<PanelSchedulePage> {
    const where: Condition[] = [];
    if (caseScopeOf(actor.role) === 'panel') {
      if (filters.panelId && !actor.panels.includes(filters.panelId)) {
        throw new NotPermittedError('not-on-case-panel', 'That panel is not one the actor sits on');
      }
      where.push(onActorsPanels(actor));
    }
    if (actor.role === 'case-manager') {
      // Case managers work in their region: only the listings of its cases (panel_schedule has no
      // region, case_status does).
      const inRegion = await this.readStore.select(caseStatusReadModel, {
        where: [
          { column: 'region', op: '=', value: actor.region },
          { column: 'panel_id', op: 'is-not-null' },
        ],
        limit: 100_000,
      });
      where.push({
        column: 'case_id',
        op: 'in',
        value: inRegion.length > 0 ? inRegion.map((row) => String(row.case_id)) : [''],
      });
    }
    if (filters.panelId) where.push({ column: 'panel_id', op: '=', value: filters.panelId });
    if (filters.from) where.push({ column: 'meeting_at', op: '>=', value: filters.from });
    if (filters.to) where.push({ column: 'meeting_at', op: '<', value: filters.to });
    const rows = await this.readStore.select(panelScheduleReadModel, {
      where,
      orderBy: PANEL_SCHEDULE_ORDER,
      ...(cursor === undefined ? {} : { after: decodePanelScheduleCursor(cursor) }),
      // One more than the page: whether another page follows, without a second query.
      limit: limit + 1,
    });
    return panelSchedulePage(rows, limit);
  }
}

export const READ_MODEL_QUERY_HANDLERS = [
  ListCasesHandler,
  GetCaseSummaryHandler,
  GetCaseDecisionsHandler,
  ListPanelScheduleHandler,
];
