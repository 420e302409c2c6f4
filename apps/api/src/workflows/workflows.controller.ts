import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CASE_STATUSES, REGIONS, WORKFLOWS, type WorkflowDefinition, workflowToMermaid } from '@harbour/domain';
import { ROLES, RequireRoles } from '@harbour/security';

export class WorkflowSummaryResponse {
  @ApiProperty({ example: 'nrm-pilot-2015' })
  id!: string;

  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty({ example: 'National Referral Mechanism: 2015 pilot (Slavery Safeguarding Leads and regional panels)' })
  title!: string;

  @ApiProperty({ enum: REGIONS, isArray: true, example: ['south-west', 'west-yorkshire'] })
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
    description: 'The transitions as a Mermaid stateDiagram-v2.',
    example: 'stateDiagram-v2\n    [*] --> referred : RaiseReferral\n    closed --> [*]\n',
  })
  mermaid!: string;
}

function summaryOf(workflow: WorkflowDefinition): WorkflowSummaryResponse {
  return { id: workflow.id, version: workflow.version, title: workflow.title, regions: [...workflow.regions] };
}

/** The workflow definitions Harbour runs, as data and as a diagram: reference, not case data. */
@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  @Get()
  @RequireRoles(...ROLES)
  @ApiOperation({ summary: 'Every workflow definition (all versions): id, version, title, regions' })
  @ApiOkResponse({ type: WorkflowSummaryResponse, isArray: true })
  list(): WorkflowSummaryResponse[] {
    return WORKFLOWS.map(summaryOf);
  }

  @Get(':id')
  @RequireRoles(...ROLES)
  @ApiOperation({ summary: 'A workflow definition (latest version): states, commands by role, transitions, diagram' })
  @ApiOkResponse({ type: WorkflowDefinitionResponse })
  get(@Param('id') id: string): WorkflowDefinitionResponse {
    const workflow = WORKFLOWS.filter((candidate) => candidate.id === id).reduce<WorkflowDefinition | undefined>(
      (latest, candidate) => (latest === undefined || candidate.version > latest.version ? candidate : latest),
      undefined,
    );
    if (!workflow) throw new NotFoundException(`No workflow definition ${id}`);
    return {
      ...summaryOf(workflow),
      states: [...workflow.states],
      terminal: [...workflow.terminal],
      commands: workflow.commands,
      transitions: workflow.transitions.map(({ from, command, to }) => ({ from, command, to: [...to] })),
      rules: { ...workflow.rules },
      mermaid: workflowToMermaid(workflow),
    };
  }
}
