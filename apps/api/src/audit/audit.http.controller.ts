import { BadRequestException, ConflictException, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  checkDigest,
  DigestClaim,
  DigestRefused,
  LedgerDigest,
  exportLog,
  parseDigestClaim,
  readDigests,
  verifyLogSteps,
} from '@duban/audit';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import {
  ApiBearer,
  ApiIdempotent,
  ApiJson,
  ApiNdjson,
  ApiProblems,
  arrayOf,
  FREE_OBJECT,
  INTEGER,
  nullable,
  object,
  TEXT,
} from '../http/openapi';
import { AsOfQueryDto, AuditEventsQueryDto, StreamParamsDto, VerifyQueryDto } from './audit.dto';
import { AttachmentService } from '../attachments/attachment.service';
import { AuditService } from './audit.service';
import { streamNdjson } from './ndjson-response';

/** pages read synchronously between turns of the event loop: small enough (~30 ms) not to stall other requests */
const SERVER_PAGE = 2000;

const ENVELOPE = object(
  {
    position: INTEGER,
    id: TEXT,
    streamId: TEXT,
    revision: INTEGER,
    type: TEXT,
    data: {},
    metadata: FREE_OBJECT,
    corrupt: arrayOf(TEXT),
  },
  ['position', 'id', 'streamId', 'revision', 'type', 'data', 'metadata'],
);
const DIGEST = object({ eventPosition: INTEGER }, ['eventPosition']);

/**
 * What an auditor (and an admin) reads: the log, streams replayed as of an instant, the
 * verification, the signed ledger digests and the export. Nothing here writes but POST /digests,
 * which registrars and admins may call (never auditors).
 */
@ApiTags('audit')
@ApiBearer()
@ApiProblems(403)
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly attachments: AttachmentService,
  ) {}

  @Get('events')
  @Roles('auditor')
  @ApiOperation({
    summary: 'The global log in commit order, whole envelopes in their stored form (page with nextPosition)',
  })
  @ApiJson(object({ events: arrayOf(ENVELOPE), nextPosition: nullable(INTEGER) }))
  @ApiProblems(400)
  events(@Query() query: AuditEventsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.audit.events(query.fromPosition ?? 0, query.limit ?? 100, principal);
  }

  @Get('streams/:streamId')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'One stream (old event versions upcast) and, for issues, units and other registered aggregates, its state — as of ?asOf= when given',
  })
  @ApiJson(object({ streamId: TEXT, revision: INTEGER, asOf: nullable(TEXT), state: {}, events: arrayOf(ENVELOPE) }))
  @ApiProblems(400, 409)
  stream(@Param() params: StreamParamsDto, @Query() query: AsOfQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.audit.stream(params.streamId, principal, query.asOf);
  }

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Recompute every hash chain, the running digest and every signed digest',
    description:
      'Streams NDJSON: {"progress":{position,head,events}} lines while it runs, then one {"result":{ok,firstBreak,breaks,digest,…}} line.',
  })
  @ApiNdjson('{"progress":…} lines, then one {"result":…} line')
  @ApiProblems(400)
  async verify(@Query() query: VerifyQueryDto, @Res() res: Response) {
    let against: DigestClaim[] = [];
    if (query.against !== undefined) {
      try {
        against = [parseDigestClaim(query.against)];
      } catch (error) {
        throw new BadRequestException({ message: [`against ${(error as Error).message}`] });
      }
    }
    const steps = verifyLogSteps(this.audit.source, {
      keyring: this.audit.keyring(),
      against,
      pageSize: SERVER_PAGE,
      files: this.attachments.files.store,
    });
    async function* lines() {
      for (;;) {
        const step = await steps.next();
        yield `${JSON.stringify(step.done ? { result: step.value } : { progress: step.value })}\n`;
        if (step.done) return;
      }
    }
    await streamNdjson(res, lines());
  }

  @Get('digests')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'The signed ledger digests in the audit stream (heads omitted; each line can be kept outside and given to verify --against)',
  })
  @ApiJson(object({ items: arrayOf(DIGEST), keyIds: arrayOf(TEXT) }))
  async digests() {
    const keyring = this.audit.keyring();
    const items = (await readDigests(this.audit.source)).map(({ event, digest }) => {
      if (!digest) return { eventPosition: event.position, signature: 'unreadable' };
      const { heads, ...rest } = digest;
      return {
        ...rest,
        headsCount: heads ? heads.length : null,
        eventPosition: event.position,
        signatureCheck: checkDigest(rest, keyring),
      };
    });
    return { items, keyIds: keyring.keyIds };
  }

  @Post('digests')
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Append a signed ledger digest now (also done every AUDIT_DIGEST_INTERVAL by the worker); 201 with it, or 200 {digest: null} when nothing new',
  })
  @ApiJson(object({ digest: DIGEST }), 201, 'a digest was appended')
  @ApiResponse({
    status: 200,
    description: 'nothing new since the last digest',
    content: { 'application/json': { schema: object({ digest: nullable(FREE_OBJECT), detail: TEXT }) } },
  })
  @ApiProblems(409)
  @ApiIdempotent()
  async appendDigest(@Res({ passthrough: true }) res: Response) {
    let digest: LedgerDigest | null;
    try {
      digest = await this.audit.appendDigest();
    } catch (error) {
      if (error instanceof DigestRefused) throw new ConflictException(error.message);
      throw error;
    }
    res.status(digest ? 201 : 200);
    if (!digest) return { digest: null, detail: 'nothing but digests was appended since the last digest' };
    const { heads, ...rest } = digest;
    return { digest: { ...rest, headsCount: heads ? heads.length : null } };
  }

  @Get('public-key')
  @Roles('auditor')
  @ApiOperation({
    summary: "The ledger's Ed25519 public key (PEM) that signs the digests; keep a copy outside the system",
  })
  @ApiJson(object({ algorithm: TEXT, keyId: TEXT, publicKeyPem: TEXT, trustedKeyIds: arrayOf(TEXT) }))
  publicKey() {
    return {
      algorithm: 'Ed25519',
      keyId: this.audit.signer.keyId,
      publicKeyPem: this.audit.signer.publicKeyPem,
      trustedKeyIds: this.audit.keyring().keyIds,
    };
  }

  @Get('export')
  @Roles('auditor')
  @ApiOperation({
    summary: 'The whole log as NDJSON (header, every event in stored form, signed digest trailer), streamed',
  })
  @ApiNdjson('a header line, every event in stored form, a signed digest trailer (an attachment)')
  async export(@Res() res: Response) {
    const chunks = exportLog(this.audit.source, {
      signer: this.audit.signer,
      publicKeys: this.audit.publicKeyPems(),
      pageSize: SERVER_PAGE,
    });
    await streamNdjson(res, chunks, {
      'Content-Disposition': `attachment; filename="duban-log-${new Date().toISOString().slice(0, 10)}.ndjson"`,
    });
  }
}
