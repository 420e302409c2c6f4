import { Controller, Get, Inject, Optional, Query, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { AccessLog, AuditRecordNotFoundError, InvalidAuditQueryError, loadCase } from '@harbour/audit';
import { CaseNotFoundError } from '@harbour/domain';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { ROLES, RequireRoles } from '@harbour/security';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { actorOf } from '../http/request-context';
import { AUDIT_LOG_READERS, CASE_READERS, assertReadable } from '../cases/read-access';
import { ACCESS_LOG, logCaseRead } from '../audit/access-log.provider';
import { LedgerHost } from './ledger.host';

const WHOLE = /^\d{1,15}$/;

export class HeadsParams {
  @ApiPropertyOptional({ example: '0', description: 'The `next` of the previous page (default: from the first head).' })
  @IsOptional()
  @Matches(WHOLE, { message: 'after must be a whole number' })
  after?: string;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
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

const hex = (nodes: readonly Buffer[]) => nodes.map((node) => node.toString('hex'));

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
      throw new ServiceUnavailableException('The ledger is kept in embedded mode (HARBOUR_PROJECTOR=in-process) only');
    }
    return this.host;
  }

  @Get('head')
  @RequireRoles(...ROLES)
  @ApiOperation({
    summary: 'The newest signed tree head: tree size, RFC 9162 root hash, time, key id, Ed25519 signature',
  })
  head() {
    const head = this.ledger.latestHead();
    if (!head) throw new AuditRecordNotFoundError('No tree head has been signed yet');
    return head;
  }

  @Get('heads')
  @RequireRoles(...ROLES)
  @ApiOperation({ summary: 'Every signed tree head, oldest first, paged' })
  @ApiOkResponse({ description: '{ heads, next }: give `next` as `after` for the next page; null on the last.' })
  heads(@Query() params: HeadsParams) {
    return this.ledger.heads(Number(params.after ?? 0), params.limit ?? 100);
  }

  @Get('keys')
  @RequireRoles(...ROLES)
  @ApiOperation({ summary: 'The public keys that verify tree heads (RFC 8037 OKP JWKs with key ids), current first' })
  keys() {
    return { keys: this.config.ledger.publicKeys };
  }

  @Get('proofs/inclusion')
  @RequireRoles(...CASE_READERS)
  @ApiOperation({
    summary:
      "RFC 9162 inclusion proof of the event at a global position in the tree of a head's size. Follows the " +
      "case's read scope; the read is logged",
  })
  @ApiOkResponse({ description: '{ position, stream, revision, leafIndex, treeSize, leafHash, rootHash, proof }' })
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
  @ApiOperation({
    summary: 'RFC 9162 consistency proof that the tree of `from` leaves is a prefix of the tree of `to`',
  })
  @ApiOkResponse({ description: '{ from, to, fromRoot, toRoot, proof }' })
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
