import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches, MaxLength, NotEquals } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CLOCK, GetPanelQuery, RegisterPanelCommand, type Clock } from '@harbour/application';
import { REGIONS, type Region } from '@harbour/domain';
import { RequireRoles } from '@harbour/security';
import { Text } from '../cases/case-commands.dto';
import { PANEL_READERS, PERSONAL_DATA_ADMINS } from '../cases/read-access';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { runCommand, type CommandRequest } from '../http/request-context';
import { RequestValidationError } from '../http/request-validation';
import { ApiCommand, ApiQuery } from '../http/openapi.decorators';

const PANEL_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class RegisterPanelDto {
  @ApiProperty({ example: 'london-panel', maxLength: 64, description: 'Kebab-case; tokens and listings name it.' })
  @MaxLength(64)
  @Matches(PANEL_ID, { message: 'panelId must be a kebab-case id, e.g. london-panel' })
  // Words that stand for "no value" in JSON, SQL and JavaScript are never a panel's name.
  @NotEquals('null', { message: 'panelId must not be null' })
  @NotEquals('undefined', { message: 'panelId must not be undefined' })
  panelId!: string;

  @ApiProperty({ example: 'London regional panel', maxLength: 200 })
  @Text(200)
  name!: string;

  @ApiProperty({ enum: REGIONS, example: 'london', description: 'The region whose cases it decides.' })
  @IsIn(REGIONS)
  region!: Region;
}

export class PanelResponse {
  @ApiProperty({ example: 'south-west-panel' })
  panelId!: string;

  @ApiProperty({ example: 'South West regional panel' })
  name!: string;

  @ApiProperty({ enum: REGIONS, example: 'south-west' })
  region!: string;
}

/**
 * The panels registry: which regional panels exist and whose cases each decides. A case is listed
 * only to a registered panel of its region (422 `unknown-panel`, `panel-serves-another-region`).
 */
@ApiTags('panels')
@Controller('panels')
export class PanelsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles(...PERSONAL_DATA_ADMINS)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiCommand({
    operationId: 'registerPanel',
    summary: 'Register a regional panel (PanelRegistered, in panel-<panelId>). 422 `panel-already-registered`',
    status: 201,
    type: PanelResponse,
    headers: ['Idempotency-Key', 'X-Occurred-At'],
    etag: true,
    location: true,
    problems: [],
  })
  async register(
    @Body() body: RegisterPanelDto,
    @Req() request: CommandRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PanelResponse> {
    const panel = { panelId: body.panelId, name: body.name, region: body.region };
    await runCommand(request, reply, this.clock, (meta) =>
      this.commands.execute(new RegisterPanelCommand(panel, meta)),
    );
    void reply.header('Location', `/panels/${panel.panelId}`);
    return panel;
  }

  @Get(':panelId')
  @RequireRoles(...PANEL_READERS)
  @ApiQuery({
    operationId: 'getPanel',
    summary: 'A registered panel: its name and the region whose cases it decides',
    type: PanelResponse,
    problems: [400, 404],
  })
  async get(@Param('panelId') panelId: string): Promise<PanelResponse> {
    if (panelId.length > 64 || !PANEL_ID.test(panelId)) {
      throw new RequestValidationError([{ field: 'panelId', messages: ['panelId must be a kebab-case id'] }]);
    }
    const state = await this.queries.execute(new GetPanelQuery(panelId));
    if (state.status !== 'registered') throw new PanelNotFoundError(panelId);
    return { panelId: state.panelId, name: state.name, region: state.region };
  }
}

/** No panel of that id is registered (HTTP 404). */
export class PanelNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(panelId: string) {
    super(`No panel ${panelId} is registered`);
    this.name = 'PanelNotFoundError';
  }
}
