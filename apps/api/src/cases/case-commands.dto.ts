import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  AGE_GROUPS,
  EVIDENCE_KINDS,
  EXPLOITATION_LOCATIONS,
  EXPLOITATION_TYPES,
  FIRST_RESPONDER_LOCATIONS,
  FIRST_RESPONDER_TYPES,
  GENDERS,
  OUTCOMES,
  PANEL_DISCIPLINES,
  POLICE_FORCE_AREAS,
  RECONSIDERATION_REQUESTERS,
  REGIONS,
  REVIEW_OUTCOMES,
  SUPPORT_KINDS,
  SUSPENSION_REASONS,
  VOTES,
  WITHDRAWAL_BASES,
} from '@harbour/domain';
import type * as vocabulary from '@harbour/domain';
import { IsInstant, NoMarkup, SingleLine } from '../http/request-validation';

// Shape rules only: the domain enforces the workflow's rules. Lengths follow event-schemas/.

const ALL_FORCES = Object.values(POLICE_FORCE_AREAS).flat();
const ALPHA3 = /^[A-Z]{3}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Text of this many characters or more is long text (an account, a rationale): it may span lines. */
export const LONG_TEXT = 1000;

/** Free text: length limits and no markup; shorter than {@link LONG_TEXT}, one line. */
export function Text(max: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(max)(target, key);
    NoMarkup()(target, key);
    if (max < LONG_TEXT) SingleLine()(target, key);
  };
}

export class ContactDto {
  @ApiPropertyOptional({ example: '07700 900123', maxLength: 32 })
  @IsOptional()
  @Matches(/^[+0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, +, - or brackets' })
  phone?: string;

  @ApiPropertyOptional({ example: 'person@example.org', maxLength: 254 })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'c/o Safe House, 1 Example Road, Bournemouth', maxLength: 500 })
  @IsOptional()
  @Text(500)
  postalAddress?: string;

  @ApiProperty({ example: false })
  @IsBoolean()
  safeToEmail!: boolean;

  @ApiProperty({ example: true })
  @IsBoolean()
  safeToPost!: boolean;
}

export class SubjectDto {
  @ApiProperty({ example: 'Synthetic Person A', maxLength: 200 })
  @Text(200)
  name!: string;

  @ApiProperty({ example: [], type: [String], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @NoMarkup({ each: true })
  @SingleLine({ each: true })
  aliases!: string[];

  @ApiPropertyOptional({ example: '1994-03-02', description: 'ISO date (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date as YYYY-MM-DD' })
  @IsDateString({ strict: true })
  dateOfBirth?: string;

  @ApiProperty({ enum: GENDERS, example: 'female' })
  @IsIn(GENDERS)
  gender!: vocabulary.Gender;

  @ApiProperty({ example: 'ALB', description: 'ISO 3166-1 alpha-3 (XXA stateless, XXX unknown)' })
  @Matches(ALPHA3, { message: 'nationality must be an ISO 3166-1 alpha-3 code, e.g. GBR' })
  nationality!: string;

  @ApiPropertyOptional({ example: 'GRC' })
  @IsOptional()
  @Matches(ALPHA3, { message: 'secondNationality must be an ISO 3166-1 alpha-3 code' })
  secondNationality?: string;

  @ApiPropertyOptional({ example: 'sq', description: 'BCP 47 language tag' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { message: 'language must be a BCP 47 tag, e.g. sq or pt-BR' })
  @MaxLength(35)
  language?: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  interpreterNeeded!: boolean;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;
}

export class ConsentDto {
  @ApiProperty({ example: true, description: 'Adults must consent; a child needs none.' })
  @IsBoolean()
  given!: boolean;

  @ApiPropertyOptional({ example: '2015-09-01T10:00:00.000Z' })
  @IsOptional()
  @IsInstant()
  recordedAt?: string;
}

export class LocalAuthorityContactDto {
  @ApiProperty({ example: 'Bournemouth, Christchurch and Poole Council' })
  @Text(200)
  authority!: string;

  @ApiProperty({ example: 'Duty social worker' })
  @Text(200)
  name!: string;

  @ApiPropertyOptional({ example: '01202 000000' })
  @IsOptional()
  @Matches(/^[+0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, +, - or brackets' })
  phone?: string;

  @ApiPropertyOptional({ example: 'mash@example.gov.uk' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

/** What a referral and a Duty to Notify report both say about where and how a person was exploited. */
export class ReportedCategoriesDto {
  @ApiProperty({ enum: REGIONS, example: 'south-west' })
  @IsIn(REGIONS)
  region!: vocabulary.Region;

  @ApiProperty({ enum: ALL_FORCES, example: 'dorset' })
  @IsIn(ALL_FORCES)
  policeForceArea!: vocabulary.PoliceForceArea;

  @ApiProperty({ enum: FIRST_RESPONDER_TYPES, example: 'police' })
  @IsIn(FIRST_RESPONDER_TYPES)
  firstResponderType!: vocabulary.FirstResponderType;

  @ApiProperty({ enum: EXPLOITATION_TYPES, isArray: true, example: ['labour'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ArrayUnique()
  @IsIn(EXPLOITATION_TYPES, { each: true })
  exploitationTypes!: vocabulary.ExploitationType[];

  @ApiProperty({ enum: EXPLOITATION_LOCATIONS, example: 'uk' })
  @IsIn(EXPLOITATION_LOCATIONS)
  exploitationLocation!: vocabulary.ExploitationLocation;
}

export class RaiseReferralDto extends ReportedCategoriesDto {
  @ApiProperty({ enum: FIRST_RESPONDER_LOCATIONS, example: 'england' })
  @IsIn(FIRST_RESPONDER_LOCATIONS)
  firstResponderLocation!: vocabulary.FirstResponderLocation;

  @ApiProperty({ enum: AGE_GROUPS, example: 'adult' })
  @IsIn(AGE_GROUPS)
  ageGroup!: vocabulary.AgeGroup;

  @ApiProperty({ enum: AGE_GROUPS, example: 'adult' })
  @IsIn(AGE_GROUPS)
  ageGroupAtExploitation!: vocabulary.AgeGroup;

  @ApiProperty({
    example: 'dorset-police',
    description:
      'The referring organisation: its registry id, or its name as the registry knows it (recorded by id). Any other is refused (422 unknown-organisation, naming the field).',
  })
  @Text(200)
  referringAgency!: string;

  @ApiProperty({ type: ConsentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;

  @ApiPropertyOptional({ type: LocalAuthorityContactDto, description: 'Required for a child or an unknown age.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalAuthorityContactDto)
  localAuthorityContact?: LocalAuthorityContactDto;

  @ApiProperty({ type: SubjectDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectDto)
  subject!: SubjectDto;

  @ApiProperty({
    example: 'Found working at a car wash for no pay; documents held by the employer.',
    maxLength: 20000,
    description: "The lead's account of the referral.",
  })
  @Text(20000)
  account!: string;
}

export class ArrangeImmediateSupportDto {
  @ApiProperty({ enum: SUPPORT_KINDS, isArray: true, example: ['accommodation', 'medical'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUPPORT_KINDS.length)
  @ArrayUnique()
  @IsIn(SUPPORT_KINDS, { each: true })
  kinds!: vocabulary.SupportKind[];

  @ApiProperty({ example: 'The Salvation Army' })
  @Text(200)
  provider!: string;

  @ApiPropertyOptional({ example: 'Placed in safe house the same evening.' })
  @IsOptional()
  @Text(2000)
  notes?: string;
}

export class RecordLeadAssessmentDto {
  @ApiProperty({ enum: OUTCOMES, example: 'positive' })
  @IsIn(OUTCOMES)
  outcome!: vocabulary.Outcome;

  @ApiProperty({ example: 'Indicators of forced labour and control of documents are present and consistent.' })
  @Text(20000)
  rationale!: string;
}

export class MakeReasonableGroundsDecisionDto {
  @ApiProperty({ enum: OUTCOMES, example: 'positive' })
  @IsIn(OUTCOMES)
  outcome!: vocabulary.Outcome;

  @ApiProperty({
    example: 'The account and the retained passport give reasonable grounds to believe the person is a victim.',
  })
  @Text(20000)
  rationale!: string;
}

export class ListCaseForPanelDto {
  @ApiProperty({ example: 'south-west-panel', description: 'The regional panel (kebab-case id).' })
  @MaxLength(64)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'panelId must be a kebab-case id, e.g. south-west-panel' })
  panelId!: string;

  @ApiProperty({ example: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f', description: 'The meeting the case is listed to.' })
  @IsUUID('all')
  meetingId!: string;

  @ApiProperty({ example: '2015-11-02T10:00:00.000Z' })
  @IsInstant()
  meetingAt!: string;

  @ApiProperty({ example: false, description: 'Lifts the 7-day notice; needs urgencyReason.' })
  @IsBoolean()
  urgent!: boolean;

  @ApiPropertyOptional({ example: 'Subject leaving the country' })
  @IsOptional()
  @Text(1000)
  urgencyReason?: string;
}

export class PanelMemberAttendanceDto {
  @ApiProperty({ example: 'member-nhs-1' })
  @Matches(ID, { message: 'memberId must be an id' })
  memberId!: string;

  @ApiProperty({
    example: 'nhs-south-west',
    description:
      "The member's organisation: its registry id (GET /organisations), or its name as the registry knows it (recorded by id). Any other is refused (422 unknown-organisation, naming the field); so is one that serves another region than the panel's (422 panel-member-from-another-region).",
  })
  @Text(200)
  agency!: string;

  @ApiProperty({ enum: PANEL_DISCIPLINES, example: 'health' })
  @IsIn(PANEL_DISCIPLINES)
  discipline!: vocabulary.PanelDiscipline;

  @ApiProperty({ example: false })
  @IsBoolean()
  conflictDeclared!: boolean;
}

export class ConvenePanelDto {
  @ApiProperty({ example: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f', description: 'The meeting the case is listed to.' })
  @IsUUID('all')
  meetingId!: string;

  @ApiProperty({ example: false })
  @IsBoolean()
  chairDeclaredConflict!: boolean;

  @ApiProperty({ type: [PanelMemberAttendanceDto], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PanelMemberAttendanceDto)
  members!: PanelMemberAttendanceDto[];
}

export class VoteDto {
  @ApiProperty({ example: 'member-nhs-1' })
  @Matches(ID, { message: 'memberId must be an id' })
  memberId!: string;

  @ApiProperty({ enum: VOTES, example: 'positive' })
  @IsIn(VOTES)
  vote!: vocabulary.Vote;
}

export class DissentDto {
  @ApiProperty({ example: 'member-ukvi-1' })
  @Matches(ID, { message: 'memberId must be an id' })
  memberId!: string;

  @ApiProperty({ example: 'Account inconsistent with travel records.' })
  @Text(5000)
  reason!: string;
}

export class RecordDecisionDto {
  @ApiProperty({ enum: OUTCOMES, example: 'positive' })
  @IsIn(OUTCOMES)
  outcome!: vocabulary.Outcome;

  @ApiProperty({
    example: 'On the balance of probabilities the panel finds the person is a victim of labour exploitation.',
  })
  @Text(20000)
  rationale!: string;

  @ApiProperty({ type: [String], example: [], description: 'Ids of evidence on the case file.' })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  evidenceReliedOn!: string[];

  @ApiProperty({ type: [VoteDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VoteDto)
  votes!: VoteDto[];

  @ApiProperty({ type: [DissentDto], example: [] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DissentDto)
  dissent!: DissentDto[];
}

export class CompleteSecondReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES, example: 'upheld' })
  @IsIn(REVIEW_OUTCOMES)
  outcome!: vocabulary.ReviewOutcome;

  @ApiProperty({ example: 'The decision followed the guidance and weighed the evidence fairly.' })
  @Text(20000)
  rationale!: string;
}

export class RequestReconsiderationDto {
  @ApiProperty({ enum: RECONSIDERATION_REQUESTERS, example: 'first-responder' })
  @IsIn(RECONSIDERATION_REQUESTERS)
  requestedBy!: vocabulary.ReconsiderationRequester;

  @ApiProperty({ example: 'New medical evidence supports the account.' })
  @Text(20000)
  grounds!: string;
}

export class RequestInformationDto {
  @ApiProperty({ example: 'Dorset Police' })
  @Text(200)
  requestedFrom!: string;

  @ApiProperty({ example: 'Crime report and any interview records.' })
  @Text(5000)
  details!: string;

  @ApiPropertyOptional({ example: '2015-10-15T17:00:00.000Z' })
  @IsOptional()
  @IsInstant()
  dueBy?: string;
}

export class RecordInformationReceivedDto {
  @ApiProperty({ description: 'The open request answered.', example: '0d6f3a52-7c1e-4b8f-9a2d-5e4c3b2a1f00' })
  @IsUUID('all')
  requestId!: string;

  @ApiProperty({ example: 'Crime report received; two interviews attached.' })
  @Text(4000)
  summary!: string;
}

export class AddEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS, example: 'police-report' })
  @IsIn(EVIDENCE_KINDS)
  kind!: vocabulary.EvidenceKind;

  @ApiProperty({ example: 'Crime report 55/12345/15' })
  @Text(5000)
  description!: string;
}

export class SuspendCaseDto {
  @ApiProperty({ enum: SUSPENSION_REASONS, example: 'subject-missing' })
  @IsIn(SUSPENSION_REASONS)
  reason!: vocabulary.SuspensionReason;

  @ApiPropertyOptional({ example: 'Missing person report filed.' })
  @IsOptional()
  @Text(5000)
  details?: string;
}

export class WithdrawReferralDto {
  @ApiProperty({ enum: WITHDRAWAL_BASES, example: 'written-request' })
  @IsIn(WITHDRAWAL_BASES)
  basis!: vocabulary.WithdrawalBasis;

  @ApiPropertyOptional({ example: 'Written request received.' })
  @IsOptional()
  @Text(5000)
  notes?: string;
}

export class CloseCaseDto {
  @ApiPropertyOptional({ example: 'Move-on support arranged.' })
  @IsOptional()
  @Text(5000)
  notes?: string;
}
