import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CaseNotFoundError, caseStreamName, type LegalHoldState } from '@harbour/domain';
import { EVENT_STORE, StreamNotFoundError, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import type { CommandMeta, CommandOutcome } from '../command-handling/handle-stream-command';
import { CLOCK, type Clock } from '../ports/clock.port';
import { PERSONAL_DATA } from './personal-data.provider';
import { commandLegalHold, eraseSubject, type ErasureOutcome, type PrivacyDeps } from './subject-erasure';
import { buildSubjectExport, type SubjectExport } from './subject-export';

/** Places a case on legal hold (`holdId` derived from the command). */
export class PlaceLegalHoldCommand extends Command<CommandOutcome<LegalHoldState>> {
  constructor(
    readonly caseId: string,
    readonly holdId: string,
    readonly reason: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** Releases a case's legal hold. */
export class ReleaseLegalHoldCommand extends Command<CommandOutcome<LegalHoldState>> {
  constructor(
    readonly caseId: string,
    readonly reason: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** Erases a subject's personal data on request (right to erasure). */
export class EraseSubjectCommand extends Command<ErasureOutcome> {
  constructor(
    readonly subjectId: string,
    readonly reason: string,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** Everything held about a subject, decrypted: a subject access request. */
export class GetSubjectExportQuery extends Query<SubjectExport> {
  constructor(readonly subjectId: string) {
    super();
  }
}

async function requireCase(store: EventStore, caseId: string): Promise<void> {
  try {
    for await (const _event of store.readStream(caseStreamName(caseId), { maxCount: 1 })) return;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  throw new CaseNotFoundError(caseId);
}

abstract class PrivacyHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    protected readonly schemas: EventSchemaRegistry,
    @Inject(PERSONAL_DATA) protected readonly personalData: PersonalDataProtector,
  ) {}

  protected get deps(): PrivacyDeps {
    return { store: this.store, schemas: this.schemas, personalData: this.personalData };
  }
}

@CommandHandler(PlaceLegalHoldCommand)
export class PlaceLegalHoldHandler extends PrivacyHandler implements ICommandHandler<PlaceLegalHoldCommand> {
  async execute({ caseId, holdId, reason, meta }: PlaceLegalHoldCommand): Promise<CommandOutcome<LegalHoldState>> {
    await requireCase(this.store, caseId);
    return commandLegalHold(this.deps, { type: 'PlaceLegalHold', data: { caseId, holdId, reason } }, meta);
  }
}

@CommandHandler(ReleaseLegalHoldCommand)
export class ReleaseLegalHoldHandler extends PrivacyHandler implements ICommandHandler<ReleaseLegalHoldCommand> {
  async execute({ caseId, reason, meta }: ReleaseLegalHoldCommand): Promise<CommandOutcome<LegalHoldState>> {
    await requireCase(this.store, caseId);
    return commandLegalHold(this.deps, { type: 'ReleaseLegalHold', data: { caseId, reason } }, meta);
  }
}

@CommandHandler(EraseSubjectCommand)
export class EraseSubjectHandler extends PrivacyHandler implements ICommandHandler<EraseSubjectCommand> {
  execute({ subjectId, reason, meta }: EraseSubjectCommand): Promise<ErasureOutcome> {
    return eraseSubject(this.deps, { subjectId, basis: 'request', reason }, meta);
  }
}

@QueryHandler(GetSubjectExportQuery)
export class GetSubjectExportHandler implements IQueryHandler<GetSubjectExportQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtector,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ subjectId }: GetSubjectExportQuery): Promise<SubjectExport> {
    return buildSubjectExport({ store: this.store, personalData: this.personalData }, subjectId, this.clock.now());
  }
}

export const PRIVACY_HANDLERS = [
  PlaceLegalHoldHandler,
  ReleaseLegalHoldHandler,
  EraseSubjectHandler,
  GetSubjectExportHandler,
];
