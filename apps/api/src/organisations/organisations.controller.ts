import { Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ORGANISATION_TYPES, ORGANISATIONS, REGIONS, type Organisation } from '@harbour/domain';
import { ROLES, RequireRoles } from '@harbour/security';
import { ApiQuery } from '../http/openapi.decorators';
import { PageOf } from '../http/page.dto';

export class OrganisationListParams {
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES, example: 'police' })
  @IsOptional()
  @IsIn(ORGANISATION_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: REGIONS, example: 'south-west', description: 'Only organisations serving it.' })
  @IsOptional()
  @IsIn(REGIONS)
  region?: string;
}

export class OrganisationResponse {
  @ApiProperty({ example: 'dorset-police', description: 'Stable; what tokens, commands and events carry.' })
  id!: string;

  @ApiProperty({ example: 'Dorset Police', description: 'As the organisation writes it.' })
  name!: string;

  @ApiProperty({ enum: ORGANISATION_TYPES, example: 'police' })
  type!: string;

  @ApiPropertyOptional({ enum: REGIONS, example: 'south-west', description: 'Absent for a national body.' })
  region?: string;
}

export class OrganisationListResponse extends PageOf(OrganisationResponse) {}

function shown({ id, name, type, region }: Organisation): OrganisationResponse {
  return region === undefined ? { id, name, type } : { id, name, type, region };
}

/** The organisations registry: reference data, the ids referrals and rules name organisations by. */
@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  @Get()
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'listOrganisations',
    summary: 'The organisations registry (forces, councils, agencies, NGOs), filtered by type and region',
    type: OrganisationListResponse,
    problems: [400],
  })
  list(@Query() params: OrganisationListParams): OrganisationListResponse {
    const items = ORGANISATIONS.filter(
      (org) =>
        (params.type === undefined || org.type === params.type) &&
        (params.region === undefined || org.region === params.region),
    ).map(shown);
    // The whole registry is a few hundred short rows of reference data: one page, as workflows.
    return { items, nextCursor: null };
  }
}
