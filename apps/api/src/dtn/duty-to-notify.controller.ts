import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CLOCK, ReportDutyToNotifyCommand, type Clock } from '@harbour/application';
import { uuidFromName } from '@harbour/shared';
import { AGE_GROUPS, DTN_REFUSAL_REASONS, GENDERS, type DtnCommand } from '@harbour/domain';
import type * as vocabulary from '@harbour/domain';
import { RequireRoles } from '@harbour/security';
import { ReportedCategoriesDto, Text } from '../cases/case-commands.dto';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { runCommand, type CommandRequest } from '../http/request-context';
import { ApiCommand } from '../http/openapi.decorators';

const ANONYMOUS_NOTICE =
  'Recorded anonymously: a Duty to Notify report holds categories only, and no field that identifies the person is accepted.';

/** An anonymous Duty to Notify report: nothing in it identifies the person. */
export class ReportDutyToNotifyDto extends ReportedCategoriesDto {
  @ApiProperty({ enum: AGE_GROUPS, example: 'adult', description: 'Must be adult: a child is always referred.' })
  @IsIn(AGE_GROUPS)
  ageGroup!: vocabulary.AgeGroup;

  @ApiProperty({ enum: GENDERS, example: 'male' })
  @IsIn(GENDERS)
  gender!: vocabulary.Gender;

  @ApiProperty({ example: 'VNM', description: 'ISO 3166-1 alpha-3' })
  @Matches(/^[A-Z]{3}$/, { message: 'nationality must be an ISO 3166-1 alpha-3 code, e.g. GBR' })
  nationality!: string;

  @ApiProperty({ example: 'Dorset Police' })
  @Text(200)
  reportingAgency!: string;

  @ApiProperty({ enum: DTN_REFUSAL_REASONS, example: 'fear-of-exploiters' })
  @IsIn(DTN_REFUSAL_REASONS)
  refusalReason!: vocabulary.DtnRefusalReason;
}

export class DutyToNotifyAccepted {
  @ApiProperty({ example: '0f6c8a3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b' })
  reportId!: string;
  @ApiProperty({ example: '0' })
  revision!: string;
  @ApiProperty({ example: '17' })
  position!: string;
  @ApiProperty({ example: true, description: 'Always true: the report holds no field that identifies the person.' })
  anonymous!: true;
  @ApiProperty({ example: ANONYMOUS_NOTICE })
  notice!: string;
}

@ApiTags('duty to notify')
@Controller('duty-to-notify-reports')
export class DutyToNotifyController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('lead')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'reportDutyToNotify',
    summary:
      'File an anonymous Duty to Notify report for an adult who does not consent (DutyToNotifyReported): a notifying authority of England and Wales, from 1 November 2015',
    status: 201,
    type: DutyToNotifyAccepted,
    headers: ['Idempotency-Key', 'X-Occurred-At'],
    etag: true,
    problems: [422],
  })
  async report(
    @Body() body: ReportDutyToNotifyDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DutyToNotifyAccepted> {
    const { reportId, revision, position } = await runCommand(request, reply, this.clock, async (meta) => {
      const id = uuidFromName(`dtn:${meta.commandId}`);
      const command: DtnCommand = { type: 'ReportDutyToNotify', reportId: id, data: { ...body } };
      return { ...(await this.commands.execute(new ReportDutyToNotifyCommand(command, meta))), reportId: id };
    });
    return {
      reportId,
      revision: String(revision),
      position: String(position),
      anonymous: true,
      notice: ANONYMOUS_NOTICE,
    };
  }
}
