import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Type } from '@nestjs/common';
import type { HeaderObject, ReferenceObject } from '@nestjs/swagger';

/** A response body's class (`[Class]` for an array of it). */
type BodyType = Type<unknown> | [Type<unknown>];

/** One field of a request that was refused, and why. */
export class FieldProblem {
  @ApiProperty({ example: 'subject.nationality', description: 'The field, query parameter or header.' })
  field!: string;

  @ApiProperty({ type: [String], example: ['nationality must be an ISO 3166-1 alpha-3 code, e.g. GBR'] })
  messages!: string[];
}

/** An RFC 9457 problem details body: what every error response carries, as `application/problem+json`. */
export class ProblemDetails {
  @ApiProperty({
    format: 'uri',
    example: 'https://harbour.example/problems/rules/panel-notice-7-days',
    description: 'Identifies the kind of problem: the base is the `HARBOUR_PROBLEM_TYPE_BASE` setting.',
  })
  type!: string;

  @ApiProperty({ example: 'A rule of the workflow was broken' })
  title!: string;

  @ApiProperty({ example: 422, description: 'The HTTP status code.' })
  status!: number;

  @ApiPropertyOptional({ example: 'The panel meeting is less than 7 days away and the case is not urgent' })
  detail?: string;

  @ApiPropertyOptional({ example: '/cases/b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e/panel-listing' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldProblem], description: '400 `invalid-request`: each refused field.' })
  errors?: FieldProblem[];

  @ApiPropertyOptional({ example: 'panel-notice-7-days', description: '422: the rule that was broken.' })
  rule?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '3',
    description: '409 `conflict` and 412: the revision the record is at now (null: it does not exist).',
  })
  currentRevision?: string | null;

  @ApiPropertyOptional({
    example: '40',
    description: '503 `projection-behind`: the position the read models had reached.',
  })
  reached?: string;
}

/** The error statuses an operation may declare. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 422 | 429 | 503;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'The request is not valid (`invalid-request` names each field in `errors`).',
  401: 'No bearer token, or one that does not verify (`WWW-Authenticate` says why).',
  403: 'Not permitted: wrong role, region or panel.',
  404: 'Not found, or not one the caller may read (answered alike).',
  409: 'The record changed meanwhile (`currentRevision`), or the same Idempotency-Key is still in progress.',
  410: 'The record was deleted from the event store outside Harbour.',
  412: 'If-Match names a revision the record is not at (`currentRevision`).',
  413: 'The body, or what the command would record, is larger than the server accepts.',
  415: 'The body is not `application/json`.',
  422: 'A rule was broken (`rule`), or an Idempotency-Key was reused with another request.',
  429: 'Too many requests: retry after `Retry-After` seconds.',
  503: 'Not available now (event store, read models behind `X-Min-Position`, identity provider): retry after `Retry-After` seconds.',
};

/** Response headers, defined once under `components.headers` (see `openapi.ts`). */
export const RESPONSE_HEADERS: Record<string, HeaderObject> = {
  'X-Correlation-Id': {
    description:
      "The request's correlation id: the caller's `X-Correlation-Id`, or one made for it. Also in the logs and event metadata.",
    schema: { type: 'string', example: '5f0c3a1e-9b2d-4c6e-8f7a-1b2c3d4e5f60' },
  },
  ETag: {
    description: 'The revision of the record, as a strong ETag: send it back as `If-Match`.',
    schema: { type: 'string', example: '"3"' },
  },
  Location: {
    description: 'Where the created record is read.',
    schema: { type: 'string', example: '/cases/b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the kept response to an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'], example: 'true' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', example: 1 },
  },
  'WWW-Authenticate': {
    description: 'The bearer challenge (RFC 6750), with the error.',
    schema: { type: 'string', example: 'Bearer realm="harbour", error="invalid_token"' },
  },
};

type ResponseHeader = keyof typeof RESPONSE_HEADERS;

function headers(...names: ResponseHeader[]): Record<string, ReferenceObject> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/**
 * Declares the error responses an operation can give, each an RFC 9457 problem details body
 * (`application/problem+json`) with the headers that come with it.
 */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails, FieldProblem),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status],
        headers: headers(
          'X-Correlation-Id',
          ...(status === 401 ? (['WWW-Authenticate'] as const) : []),
          ...(status === 429 || status === 503 ? (['Retry-After'] as const) : []),
        ),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      }),
    ),
  );
}

/** Every request may carry a correlation id, which every response echoes. */
const CORRELATION_ID_HEADER = ApiHeader({
  name: 'X-Correlation-Id',
  required: false,
  description: 'Ties this request to others in the logs and event metadata; one is made when absent or malformed.',
  schema: { type: 'string', pattern: '^[\\w.:-]{1,100}$', example: '5f0c3a1e-9b2d-4c6e-8f7a-1b2c3d4e5f60' },
});

/** Every route needs a token, checks the caller's role and is rate limited; any may find a dependency down. */
const EVERY_ROUTE: ProblemStatus[] = [401, 403, 429, 503];

/**
 * A query: its summary and operationId, its 200 body, the headers that come with it, and the
 * errors it can give (beyond those of every route: 400 for parameters, 404 for a record).
 */
export function ApiQuery(options: {
  operationId: string;
  summary: string;
  type: BodyType;
  description?: string;
  etag?: boolean;
  problems?: ProblemStatus[];
}): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: options.operationId, summary: options.summary }),
    CORRELATION_ID_HEADER,
    ApiResponse({
      status: 200,
      type: options.type,
      description: options.description ?? 'OK',
      headers: headers('X-Correlation-Id', ...(options.etag ? (['ETag'] as const) : [])),
    }),
    ApiProblems(...[...(options.problems ?? []), ...EVERY_ROUTE].sort((a, b) => a - b)),
  );
}

/** Request headers a command may carry. */
export type CommandHeader = 'Idempotency-Key' | 'If-Match' | 'X-Occurred-At';

const COMMAND_HEADERS: Record<CommandHeader, Parameters<typeof ApiHeader>[0]> = {
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key returns the first response (with `Idempotent-Replayed: true`).',
    schema: { type: 'string', minLength: 1, maxLength: 200, example: 'raise-2015-09-01-0001' },
  },
  'If-Match': {
    name: 'If-Match',
    required: false,
    description: 'The ETag of the revision you acted on: refused with 412 if the record has moved on.',
    schema: { type: 'string', example: '"3"' },
  },
  'X-Occurred-At': {
    name: 'X-Occurred-At',
    required: false,
    description:
      "Business time (ISO-8601 with a zone) if not now; never in the future, nor before the record's last entry.",
    schema: { type: 'string', format: 'date-time', example: '2015-09-01T10:00:00Z' },
  },
};

/**
 * A command: its summary and operationId, the request headers it reads, its success response
 * with the headers that come with it, and the errors it can give. Every command may be refused
 * for its body (400, 413, 415), its role (403), a broken rule or a reused key (422), a race on
 * its record (409), and as every route may (401, 429, 503).
 */
export function ApiCommand(options: {
  operationId: string;
  summary: string;
  status: 200 | 201;
  type: BodyType;
  headers: CommandHeader[];
  /** `Location`, for a command that creates a record. */
  location?: boolean;
  /** The `ETag` of the record written. */
  etag?: boolean;
  problems: ProblemStatus[];
}): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: options.operationId, summary: options.summary }),
    ...options.headers.map((name) => ApiHeader(COMMAND_HEADERS[name])),
    CORRELATION_ID_HEADER,
    ApiResponse({
      status: options.status,
      type: options.type,
      description: options.status === 201 ? 'Created' : 'Recorded',
      headers: headers(
        'X-Correlation-Id',
        ...(options.etag ? (['ETag'] as const) : []),
        ...(options.location ? (['Location'] as const) : []),
        ...(options.headers.includes('Idempotency-Key') ? (['Idempotent-Replayed'] as const) : []),
      ),
    }),
    ApiProblems(
      ...[...new Set([400, 409, 413, 415, 422, ...options.problems, ...EVERY_ROUTE] as ProblemStatus[])].sort(
        (a, b) => a - b,
      ),
    ),
  );
}
