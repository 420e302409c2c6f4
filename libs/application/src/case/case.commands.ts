import { Command, Query } from '@nestjs/cqrs';
import type { CaseCommand, CaseState, DtnCommand } from '@harbour/domain';
import type { CommandMeta, CommandOutcome } from '../command-handling/handle-stream-command';

/** Carries one case command, with who/when/why, to its handler on the CommandBus. */
export class ExecuteCaseCommand extends Command<CommandOutcome<CaseState>> {
  constructor(
    readonly command: CaseCommand,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** Files a Duty to Notify report (its own anonymous stream). */
export class ReportDutyToNotifyCommand extends Command<CommandOutcome<unknown>> {
  constructor(
    readonly command: DtnCommand,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export interface CaseView {
  readonly caseId: string;
  readonly revision: bigint;
  readonly state: CaseState;
}

/** The case folded from its stream: always current, no projection lag. */
export class GetCaseQuery extends Query<CaseView> {
  constructor(readonly caseId: string) {
    super();
  }
}
