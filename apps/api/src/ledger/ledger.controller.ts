import { Controller, Get, Inject, Optional, Query, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ProblemShape } from '@harbour/shared';
import { AccessLog, AuditRecordNotFoundError, InvalidAuditQueryError, loadCase } from '@harbour/audit';
import { CaseNotFoundError } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { ROLES, RequireRoles } from '@harbour/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { actorOf } from '../http/request-context';
import { ApiQuery } from '../http/openapi.decorators';
import { PageCursor, PageOf } from '../http/page.dto';
import { AUDIT_LOG_READERS, CASE_READERS, assertReadable } from '../cases/read-access';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { LedgerHost } from './ledger.host';

const WHOLE = /^\d{1,15}$/;

export class HeadsParams {
  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 1000, description: 'Heads per page (default 100).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @PageCursor(100)
  cursor?: string;
}

export class InclusionParams {
  @ApiPropertyOptional({ example: '42', description: "The event's global position." })
  @Matches(WHOLE, { message: 'position must be a global position' })
  position!: string;

  @ApiPropertyOptional({ example: '1000', description: 'The tree size of a signed head (default: the latest head).' })
  @IsOptional()
  @Matches(WHOLE, { message: 'treeSize must be a whole number' })
  treeSize?: string;
}

export class ConsistencyParams {
  @ApiPropertyOptional({ example: '500', description: 'The smaller tree size (an earlier head).' })
  @Matches(WHOLE, { message: 'from must be a whole number' })
  from!: string;

  @ApiPropertyOptional({ example: '1000', description: 'The larger tree size (a later head).' })
  @Matches(WHOLE, { message: 'to must be a whole number' })
  to!: string;
}

export class SignedTreeHeadResponse {
  @ApiProperty({ enum: ['harbour-tree-head'], example: 'harbour-tree-head' })
  format!: 'harbour-tree-head';

  @ApiProperty({ enum: [1], example: 1 })
  version!: 1;

  @ApiProperty({ example: 1000, description: 'The number of leaves (events, in global position order) it covers.' })
  treeSize!: number;

  @ApiProperty({
    example: 'b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7',
    description: 'RFC 9162 root hash of the first `treeSize` leaves, hex.',
  })
  rootHash!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00.000Z', description: 'When it was signed.' })
  timestamp!: string;

  @ApiProperty({ example: 'ledger-2026-12', description: 'The id of the key that signed it (`GET /ledger/keys`).' })
  keyId!: string;

  @ApiProperty({
    example: 'q3Vb0nZ4yXh8r1mQvK2sT9wE6uJ5pL7aC0dF3gH1iK4lN8oP2rS6tU9vW3xY7zA1bC5dE8fG2hI6jK0lM4nO8p',
    description:
      'Ed25519 over `harbour-tree-head:v1\\n` and the RFC 8785 canonical JSON of the other members, base64url.',
  })
  signature!: string;
}

export class TreeHeadPageResponse extends PageOf(SignedTreeHeadResponse) {}

export class LedgerPublicKeyResponse {
  @ApiProperty({ enum: ['OKP'], example: 'OKP' })
  kty!: 'OKP';

  @ApiProperty({ enum: ['Ed25519'], example: 'Ed25519' })
  crv!: 'Ed25519';

  @ApiProperty({ example: 'ledger-2026-12' })
  kid!: string;

  @ApiProperty({
    example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
    description: 'The raw 32-byte public key, base64url.',
  })
  x!: string;
}

export class LedgerKeysResponse {
  @ApiProperty({ type: [LedgerPublicKeyResponse], description: 'Current key first, then retired ones.' })
  keys!: LedgerPublicKeyResponse[];
}

export class InclusionProofResponse {
  @ApiProperty({ example: '42', description: "The event's global position." })
  position!: string;

  @ApiProperty({ example: 'case-b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' })
  stream!: string;

  @ApiProperty({ example: '3' })
  revision!: string;

  @ApiProperty({ example: 41 })
  leafIndex!: number;

  @ApiProperty({ example: 1000 })
  treeSize!: number;

  @ApiProperty({
    example: 'b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7',
    description: 'RFC 9162 leaf hash, hex.',
  })
  leafHash!: string;

  @ApiProperty({
    example: 'b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7',
    description: 'Root hash of the tree of `treeSize` leaves, hex.',
  })
  rootHash!: string;

  @ApiProperty({
    type: [String],
    example: ['b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7'],
    description: 'The audit path (RFC 9162 §2.1.3), hex, leaf side first.',
  })
  proof!: string[];
}

export class ConsistencyProofResponse {
  @ApiProperty({ example: 500 })
  from!: number;

  @ApiProperty({ example: 1000 })
  to!: number;

  @ApiProperty({
    example: 'b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7',
    description: 'Root hash of the tree of `from` leaves, hex.',
  })
  fromRoot!: string;

  @ApiProperty({
    example: 'b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7',
    description: 'Root hash of the tree of `to` leaves, hex.',
  })
  toRoot!: string;

  @ApiProperty({
    type: [String],
    example: ['b0b2e6d5c2a1f4e3d6c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7'],
    description: 'The consistency proof (RFC 9162 §2.1.4), hex.',
  })
  proof!: string[];
}

/** The ledger is kept by the embedded API only: in distributed mode there is none to read. */
export class LedgerNotKeptError extends Error {
  get asProblem(): ProblemShape {
    return {
      slug: 'ledger-not-kept',
      title: 'The ledger is not kept here',
      status: 503,
      detail: 'The ledger is kept in embedded mode (HARBOUR_PROJECTOR=in-process) only',
    };
  }
}

const hex = (nodes: readonly Buffer[]) => nodes.map((node) => node.toString('hex'));

/** An opaque cursor after the head with row id `id`. */
function headsCursor(id: number): string {
  return Buffer.from(JSON.stringify({ v: 1, after: id }), 'utf8').toString('base64url');
}

/** The head row id a cursor from {@link headsCursor} points after. */
function afterOfCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const { v, after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (v === 1 && typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // Falls through to the refusal.
  }
  throw new InvalidAuditQueryError('cursor', 'cursor must be a nextCursor this API gave');
}

/**
 * The verifiable ledger: signed tree heads over the global log, the public keys that verify them,
 * and RFC 9162 inclusion and consistency proofs. Heads, keys and consistency proofs carry hashes
 * only and are open to every authenticated role; an inclusion proof names an event of a case, so
 * it follows the case's read scope and is logged as a read.
 */
@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Optional() private readonly host?: LedgerHost,
  ) {}

  private get ledger() {
    return this.requireHost().ledger;
  }

  private requireHost(): LedgerHost {
    if (!this.host) {
      throw new LedgerNotKeptError('The ledger is kept in embedded mode only');
    }
    return this.host;
  }

  @Get('head')
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'getLatestTreeHead',
    summary: 'The newest signed tree head: tree size, RFC 9162 root hash, time, key id, Ed25519 signature',
    type: SignedTreeHeadResponse,
    problems: [404],
  })
  head() {
    const head = this.ledger.latestHead();
    if (!head) throw new AuditRecordNotFoundError('No tree head has been signed yet');
    return head;
  }

  @Get('heads')
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'listTreeHeads',
    summary: 'Every signed tree head, oldest first, paged',
    type: TreeHeadPageResponse,
    problems: [400],
  })
  heads(@Query() params: HeadsParams) {
    const { heads, next } = this.ledger.heads(afterOfCursor(params.cursor), params.limit ?? 100);
    return { items: heads, nextCursor: next === null ? null : headsCursor(next) };
  }

  @Get('keys')
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'listLedgerKeys',
    summary: 'The public keys that verify tree heads (RFC 8037 OKP JWKs with key ids), current first',
    type: LedgerKeysResponse,
  })
  keys() {
    return { keys: this.config.ledger.publicKeys };
  }

  @Get('proofs/inclusion')
  @RequireRoles(...CASE_READERS)
  @ApiQuery({
    operationId: 'getInclusionProof',
    summary:
      "RFC 9162 inclusion proof of the event at a global position in the tree of a head's size. Follows the " +
      "case's read scope; the read is logged",
    type: InclusionProofResponse,
    problems: [400, 404],
  })
  async inclusion(@Query() params: InclusionParams, @Req() request: FastifyRequest) {
    const ledger = this.ledger;
    const leaf = ledger.leafAtPosition(BigInt(params.position));
    if (!leaf) throw new AuditRecordNotFoundError(`The ledger holds no event at position ${params.position}`);
    const caseId = leaf.stream.startsWith('case-') ? leaf.stream.slice('case-'.length) : undefined;
    const actor = actorOf(request);
    if (caseId !== undefined) {
      const loaded = await loadCase(this.store, caseId).catch((error: unknown) => {
        if (error instanceof CaseNotFoundError) throw new AuditRecordNotFoundError(`No event at ${params.position}`);
        throw error;
      });
      if (loaded.state.status === 'none') throw new AuditRecordNotFoundError(`No event at ${params.position}`);
      assertReadable(loaded.state, actor);
    } else if (!(AUDIT_LOG_READERS as readonly string[]).includes(actor.role)) {
      // Not a case's event (the access log, a subject's holds): for those who read everything.
      throw new AuditRecordNotFoundError(`The ledger holds no event at position ${params.position}`);
    }
    const treeSize = this.treeSize(params.treeSize);
    if (leaf.index >= treeSize) {
      throw new InvalidAuditQueryError(
        'treeSize',
        `the event at ${params.position} is leaf ${leaf.index}, not in a tree of ${treeSize}`,
      );
    }
    const proof = ledger.inclusionProof(leaf.index, treeSize);
    if (caseId !== undefined) await logCaseRead(this.accessLog, request, caseId, 'GET /ledger/proofs/inclusion');
    return {
      position: String(leaf.position),
      stream: leaf.stream,
      revision: String(leaf.revision),
      leafIndex: leaf.index,
      treeSize,
      leafHash: leaf.hash.toString('hex'),
      rootHash: ledger.root(treeSize).toString('hex'),
      proof: hex(proof),
    };
  }

  @Get('proofs/consistency')
  @RequireRoles(...ROLES)
  @ApiQuery({
    operationId: 'getConsistencyProof',
    summary: 'RFC 9162 consistency proof that the tree of `from` leaves is a prefix of the tree of `to`',
    type: ConsistencyProofResponse,
    problems: [400],
  })
  consistency(@Query() params: ConsistencyParams) {
    const from = Number(params.from);
    const to = Number(params.to);
    if (from > to) throw new InvalidAuditQueryError('from', 'from must not be larger than to');
    const size = this.ledger.size();
    if (to > size) throw new InvalidAuditQueryError('to', `the ledger holds ${size} leaves`);
    return {
      from,
      to,
      fromRoot: this.ledger.root(from).toString('hex'),
      toRoot: this.ledger.root(to).toString('hex'),
      proof: hex(this.ledger.consistencyProof(from, to)),
    };
  }

  private treeSize(given: string | undefined): number {
    if (given !== undefined) {
      const size = Number(given);
      const held = this.ledger.size();
      if (size > held) throw new InvalidAuditQueryError('treeSize', `the ledger holds ${held} leaves`);
      return size;
    }
    const head = this.ledger.latestHead();
    if (!head) throw new AuditRecordNotFoundError('No tree head has been signed yet');
    return head.treeSize;
  }
}
