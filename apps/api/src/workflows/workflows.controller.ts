import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { WORKFLOW_ROUTES } from '@harbour/application';
import {
  CASE_STATUSES,
  DEADLINE_KINDS,
  REGIONS,
  WORKFLOWS,
  latestWorkflow,
  regionsRoutedTo,
  type WorkflowDefinition,
  type WorkflowRoutes,
  workflowToMermaid,
} from '@harbour/domain';
import { ROLES, RequireRoles } from '@harbour/security';
import { ApiQuery } from '../http/openapi.decorators';
import { PageOf } from '../http/page.dto';

export class WorkflowSummaryResponse {
  @ApiProperty({ example: 'nrm-pilot-2015' })
  id!: string;

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ example: 'National Referral Mechanism: 2015 pilot (Slavery Safeguarding Leads and regional panels)' })
  title!: string;

  @ApiProperty({
    enum: REGIONS,
    isArray: true,
    example: ['south-west', 'west-yorkshire'],
    description:
      'Regions whose new referrals start under this definition now (configuration: HARBOUR_WORKFLOW_ROUTES). Empty for an older version: new referrals take the latest.',
  })
  regions!: string[];
}

export class WorkflowTransitionResponse {
  @ApiProperty({ enum: ['none', ...CASE_STATUSES], example: 'referred' })
  from!: string;

  @ApiProperty({ example: 'RecordLeadAssessment' })
  command!: string;

  @ApiProperty({
    enum: CASE_STATUSES,
    isArray: true,
    example: ['recovery', 'assessment-negative'],
    description: 'Statuses the command may leave the case in; empty where it is open only to name a refusal.',
  })
  to!: string[];
}

export class DurationResponse {
  @ApiProperty({ example: 5 })
  amount!: number;

  @ApiProperty({ enum: ['calendar-days', 'working-days'], example: 'working-days' })
  unit!: string;
}

/** An event a deadline reacts to: its type, and values its data must hold (`where`). */
export class EventMatchResponse {
  @ApiProperty({ example: 'ReferralRaised' })
  type!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { outcome: 'positive' },
    description: 'Dotted data paths and the value each must equal.',
  })
  where?: Readonly<Record<string, string | boolean>>;

  @ApiPropertyOptional({ example: 'caseId', description: 'Data path of the id that names (or must equal) the timer.' })
  idFrom?: string;

  @ApiPropertyOptional({ example: 'endsAt', description: 'Data path of a due time the event itself fixes.' })
  dueAtFrom?: string;
}

export class DeadlineSpecResponse {
  @ApiProperty({ enum: DEADLINE_KINDS, example: 'lead-assessment' })
  kind!: string;

  @ApiProperty({ example: 'The lead assesses the referral within 5 working days' })
  title!: string;

  @ApiProperty({ enum: ['breach', 'end'], example: 'breach' })
  onDue!: string;

  @ApiProperty({ type: DurationResponse })
  duration!: DurationResponse;

  @ApiProperty({ type: [EventMatchResponse], description: 'Events that start it.' })
  startsOn!: readonly EventMatchResponse[];

  @ApiProperty({ type: [EventMatchResponse], description: 'Events that meet it.' })
  metBy!: readonly EventMatchResponse[];

  @ApiProperty({ type: [EventMatchResponse], description: 'Events after which it no longer runs.' })
  cancelledBy!: readonly EventMatchResponse[];
}

export class NoticeSpecResponse {
  @ApiProperty({ enum: ['panel-notice'], example: 'panel-notice' })
  kind!: string;

  @ApiProperty({ example: "A panel meeting is listed with at least 7 days' notice, unless the case is urgent" })
  title!: string;

  @ApiProperty({ type: DurationResponse })
  duration!: DurationResponse;

  @ApiProperty({ example: 'ListCaseForPanel', description: 'The command it is checked on.' })
  checkedOn!: string;

  @ApiProperty({ example: 'panel-notice-7-days', description: 'The rule a refusal names.' })
  rule!: string;

  @ApiProperty({ example: 'urgent', description: 'Waived when the listing is urgent.' })
  waivedWhen!: string;
}

export class WorkflowDefinitionResponse extends WorkflowSummaryResponse {
  @ApiProperty({ enum: CASE_STATUSES, isArray: true, example: ['referred', 'recovery', 'closed'] })
  states!: string[];

  @ApiProperty({ enum: CASE_STATUSES, isArray: true, example: ['closed', 'withdrawn'] })
  terminal!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per state (and `none`, before the case exists): the roles that may issue each command.',
    example: { none: { RaiseReferral: ['lead'] }, referred: { RecordLeadAssessment: ['lead'] } },
  })
  commands!: WorkflowDefinition['commands'];

  @ApiProperty({ type: WorkflowTransitionResponse, isArray: true })
  transitions!: WorkflowTransitionResponse[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { recoveryPeriodDays: 45, panelNoticeDays: 7, panelQuorum: 5 },
  })
  rules!: Record<string, unknown>;

  @ApiProperty({
    type: [DeadlineSpecResponse],
    description:
      'Timed, soft deadlines: what starts each, its duration (calendar or England and Wales working days), what meets or cancels it, and what is recorded when it falls due (breach: DeadlineBreached; end: RecoveryPeriodEnded).',
  })
  deadlines!: readonly DeadlineSpecResponse[];

  @ApiProperty({
    type: [NoticeSpecResponse],
    description: 'Minimum notices checked when a command is decided (refused with the rule unless waived).',
  })
  notices!: readonly NoticeSpecResponse[];

  @ApiProperty({
    description: 'The transitions as a Mermaid stateDiagram-v2.',
    example: 'stateDiagram-v2\n    [*] --> referred : RaiseReferral\n    closed --> [*]\n',
  })
  mermaid!: string;
}

/** Every definition: one page, as every list is shaped (`nextCursor` is null: they all fit). */
export class WorkflowListResponse extends PageOf(WorkflowSummaryResponse) {}

function summaryOf(workflow: WorkflowDefinition, routes: WorkflowRoutes): WorkflowSummaryResponse {
  const current = latestWorkflow(workflow.id) === workflow;
  return {
    id: workflow.id,
    version: workflow.version,
    title: workflow.title,
    regions: current ? regionsRoutedTo(workflow.id, routes) : [],
  };
}

/** The workflow definitions Harbour runs, as data and as a diagram: reference, not case data. */
@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(@Inject(WORKFLOW_ROUTES) private readonly routes: WorkflowRoutes) {}

  @Get()
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'listWorkflows',
    summary: 'Every workflow definition (all versions): id, version, title, and the regions routed to it now',
    type: WorkflowListResponse,
  })
  list(): WorkflowListResponse {
    return { items: WORKFLOWS.map((workflow) => summaryOf(workflow, this.routes)), nextCursor: null };
  }

  @Get(':id')
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'getWorkflow',
    summary: 'A workflow definition (latest version): states, commands by role, transitions, diagram',
    type: WorkflowDefinitionResponse,
    problems: [404],
  })
  get(@Param('id') id: string): WorkflowDefinitionResponse {
    const workflow = latestWorkflow(id);
    if (!workflow) throw new NotFoundException(`No workflow definition ${id}`);
    return {
      ...summaryOf(workflow, this.routes),
      states: [...workflow.states],
      terminal: [...workflow.terminal],
      commands: workflow.commands,
      transitions: workflow.transitions.map(({ from, command, to }) => ({ from, command, to: [...to] })),
      rules: { ...workflow.rules },
      deadlines: workflow.deadlines,
      notices: workflow.notices,
      mermaid: workflowToMermaid(workflow),
    };
  }
}
