import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { OUTCOMES, PANEL_DISCIPLINES } from '@harbour/domain';
import type * as vocabulary from '@harbour/domain';
import { RecordDecisionDto, Text, VoteDto } from '../cases/case-commands.dto';
import { IsInstant } from '../http/request-validation';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const PANEL_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ORGANISATION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class VenueDto {
  @ApiProperty({ enum: ['in-person', 'remote'], example: 'remote' })
  @IsIn(['in-person', 'remote'])
  kind!: 'in-person' | 'remote';

  @ApiProperty({
    example: 'https://meet.example/south-west-panel',
    maxLength: 500,
    description: 'Room address or link.',
  })
  @Text(500)
  details!: string;
}

export class MeetingMemberDto {
  @ApiProperty({ example: 'member-police-1' })
  @Matches(ID, { message: 'memberId must be an id' })
  memberId!: string;

  @ApiProperty({ example: 'dorset-police', description: 'The organisation, by its registry id (GET /organisations).' })
  @MaxLength(200)
  @Matches(ORGANISATION_ID, { message: 'organisationId must be a registry id, e.g. dorset-police' })
  organisationId!: string;

  @ApiProperty({ enum: PANEL_DISCIPLINES, example: 'police' })
  @IsIn(PANEL_DISCIPLINES)
  discipline!: vocabulary.PanelDiscipline;
}

export class ScheduleMeetingDto {
  @ApiProperty({ example: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f', description: 'Chosen by the caller.' })
  @IsUUID('all')
  meetingId!: string;

  @ApiProperty({ example: 'south-west-panel' })
  @MaxLength(64)
  @Matches(PANEL_ID, { message: 'panelId must be a kebab-case id' })
  panelId!: string;

  @ApiProperty({ example: '2015-10-20T10:00:00Z', format: 'date-time' })
  @IsInstant()
  meetingAt!: string;

  @ApiProperty({ type: VenueDto })
  @IsObject()
  @ValidateNested()
  @Type(() => VenueDto)
  venue!: VenueDto;

  @ApiProperty({ example: 'chair-1', description: 'The independent chair (user id).' })
  @Matches(ID, { message: 'chairId must be an id' })
  chairId!: string;

  @ApiProperty({ type: [MeetingMemberDto], maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MeetingMemberDto)
  members!: MeetingMemberDto[];
}

export class AgendaCaseDto {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  @IsUUID('all')
  caseId!: string;
}

export class RemoveFromAgendaDto {
  @ApiProperty({ example: 'Listed in error', maxLength: 1000 })
  @Text(1000)
  reason!: string;
}

export class AttendeeDto {
  @ApiProperty({ example: 'member-police-1' })
  @Matches(ID, { message: 'memberId must be an id' })
  memberId!: string;

  @ApiProperty({ type: [String], example: [], description: 'Cases on the agenda the member declared a conflict on.' })
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  conflicts!: string[];
}

export class RecordAttendanceDto {
  @ApiProperty({ type: [AttendeeDto], maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees!: AttendeeDto[];
}

/** The panel's decision on a case at a meeting: the case decision's own fields, and its id. */
export class MeetingDecisionDto extends PickType(RecordDecisionDto, [
  'outcome',
  'rationale',
  'evidenceReliedOn',
  'dissent',
] as const) {
  @ApiProperty({ example: '2d0b4e66-3f40-4b7c-8d8e-9fa0b1c2d3e4' })
  @IsUUID('all')
  decisionId!: string;
}

export class RecordOutcomeDto {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  @IsUUID('all')
  caseId!: string;

  @ApiProperty({ enum: ['decided', 'deferred', 'adjourned'], example: 'decided' })
  @IsIn(['decided', 'deferred', 'adjourned'])
  outcome!: 'decided' | 'deferred' | 'adjourned';

  @ApiPropertyOptional({ type: MeetingDecisionDto, description: 'Required when decided.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MeetingDecisionDto)
  decision?: MeetingDecisionDto;

  @ApiProperty({ type: [VoteDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VoteDto)
  votes!: VoteDto[];

  @ApiPropertyOptional({ enum: OUTCOMES, example: 'positive', description: "The chair's casting vote on a tie." })
  @IsOptional()
  @IsIn(OUTCOMES)
  chairCastingVote?: vocabulary.Outcome;

  @ApiPropertyOptional({
    example: 'Awaiting the local authority assessment',
    maxLength: 1000,
    description: 'Required when deferred or adjourned.',
  })
  @IsOptional()
  @Text(1000)
  reason?: string;
}

export class ApproveMinutesDto {
  @ApiProperty({ example: 'Present: ... Case b3e1f6a2 decided; case 0b8f2c44 deferred.', maxLength: 20000 })
  @Text(20000)
  minutes!: string;
}

export class MeetingCommandResponse {
  @ApiProperty({ example: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f' })
  meetingId!: string;

  @ApiProperty({ example: '3', description: 'The meeting stream revision (also the ETag).' })
  revision!: string;
}

export class AgendaItemResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;

  @ApiProperty({ enum: ['on-agenda', 'removed', 'decided', 'deferred', 'adjourned'], example: 'on-agenda' })
  status!: string;

  @ApiProperty({ example: true })
  packIssued!: boolean;
}

export class AttendeeResponse extends MeetingMemberDto {
  @ApiProperty({ type: [String], example: [] })
  conflicts!: string[];
}

export class MeetingResponse {
  @ApiProperty({ example: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f' })
  meetingId!: string;

  @ApiProperty({ example: 'south-west-panel' })
  panelId!: string;

  @ApiProperty({ enum: ['scheduled', 'minuted'], example: 'scheduled' })
  status!: string;

  @ApiProperty({ example: '2015-10-20T10:00:00.000Z' })
  meetingAt!: string;

  @ApiProperty({ example: 'chair-1' })
  chairId!: string;

  @ApiProperty({ type: [MeetingMemberDto] })
  members!: MeetingMemberDto[];

  @ApiProperty({ type: [AgendaItemResponse] })
  agenda!: AgendaItemResponse[];

  @ApiProperty({ type: [AttendeeResponse], nullable: true })
  attendees!: AttendeeResponse[] | null;
}

export class PackSummaryResponse {
  @ApiProperty({ example: 'south-west' })
  region!: string;
  @ApiProperty({ example: 'adult' })
  ageGroup!: string;
  @ApiProperty({ type: String, example: 'male', nullable: true })
  gender!: string | null;
  @ApiProperty({ type: String, example: 'ALB', nullable: true })
  nationality!: string | null;
  @ApiProperty({ type: [String], example: ['labour'] })
  exploitationTypes!: string[];
  @ApiProperty({ type: String, example: 'uk', nullable: true })
  exploitationLocation!: string | null;
  @ApiProperty({ type: String, example: 'Found working at a car wash for no pay.', nullable: true })
  account!: string | null;
}

export class PackAssessmentResponse {
  @ApiProperty({ example: 'positive' })
  outcome!: string;
  @ApiProperty({ example: 'Indicators of forced labour are present.' })
  rationale!: string;
  @ApiProperty({ example: '2015-09-02T09:00:00.000Z' })
  assessedAt!: string;
}

export class PackEvidenceResponse {
  @ApiProperty({ example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  evidenceId!: string;
  @ApiProperty({ example: 'witness-statement' })
  kind!: string;
  @ApiProperty({ example: 'Statement of the car wash manager' })
  description!: string;
}

export class PackAnswerResponse {
  @ApiProperty({ example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  requestId!: string;
  @ApiProperty({ example: 'The local authority confirms the placement.' })
  summary!: string;
  @ApiProperty({ example: '2015-10-05T09:00:00.000Z' })
  receivedAt!: string;
}

export class MeetingPackResponse {
  @ApiProperty({ example: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  caseId!: string;
  @ApiProperty({ type: PackSummaryResponse })
  summary!: PackSummaryResponse;
  @ApiProperty({ type: PackAssessmentResponse, nullable: true })
  leadAssessment!: PackAssessmentResponse | null;
  @ApiProperty({ type: [PackEvidenceResponse] })
  evidence!: PackEvidenceResponse[];
  @ApiProperty({ type: [PackAnswerResponse] })
  informationAnswers!: PackAnswerResponse[];
}
