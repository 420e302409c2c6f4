import { ApiProperty } from '@nestjs/swagger';

export class CommandAcceptedResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: '0', description: 'The case revision after the command (decimal string); also the ETag.' })
  revision!: string;

  @ApiProperty({ example: '42', description: 'Global position of the last event written (decimal string).' })
  position!: string;
}

export class CaseActionDto {
  @ApiProperty({ example: 'RecordLeadAssessment' })
  command!: string;

  @ApiProperty({ example: 'POST' })
  method!: 'POST';

  @ApiProperty({ example: '/cases/:caseId/lead-assessment' })
  path!: string;
}

export class WorkflowRefDto {
  @ApiProperty({ example: 'nrm-pilot-2015' })
  id!: string;

  @ApiProperty({ example: 1 })
  version!: number;
}

export class CaseActionsResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ example: '0' })
  revision!: string;

  @ApiProperty({ example: 'referred' })
  status!: string;

  @ApiProperty({ type: WorkflowRefDto })
  workflow!: WorkflowRefDto;

  @ApiProperty({ type: [CaseActionDto] })
  actions!: CaseActionDto[];
}
