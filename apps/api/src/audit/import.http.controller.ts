import { BadRequestException, ConflictException, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiBearer, ApiJson, ApiProblems, BOOLEAN, FREE_OBJECT, INTEGER, object } from '../http/openapi';
import type { Request } from 'express';
import { ImportError, importLog, trustImportedPublicKey } from '@duban/audit';
import { BULK_IMPORT, BulkImport, EventStoreError } from '@duban/event-store';
import { Roles } from '../auth/roles.decorator';
import { AuditService } from './audit.service';
import { NDJSON } from './ndjson-response';

/** Restores an export into this deployment's empty store (a migration or a restore), all or nothing. */
@ApiTags('admin')
@ApiBearer()
@Controller('admin')
export class ImportController {
  constructor(
    private readonly audit: AuditService,
    /** null where the store assigns its own positions (EventStoreDB) */
    @Inject(BULK_IMPORT) private readonly bulkImport: BulkImport | null,
  ) {}

  @Post('import')
  @HttpCode(200)
  @Roles('admin')
  @ApiConsumes(NDJSON)
  @ApiJson(object({ events: INTEGER, position: INTEGER, digest: FREE_OBJECT, signed: BOOLEAN }))
  @ApiProblems(400, 403, 409, 413, 422)
  @ApiOperation({
    summary:
      'Import an export of GET /audit/export into an EMPTY embedded store: same streams, positions and hashes; the read model follows',
    description:
      'Body: the NDJSON export (Content-Type application/x-ndjson), streamed. 409 when the store holds events or is EventStoreDB; 400 naming the first bad line.',
  })
  async import(@Req() req: Request) {
    if (!this.bulkImport) {
      throw new ConflictException(
        'imports go into the embedded store only: EventStoreDB assigns its own commit positions, so an import there could not keep the positions the digests cover',
      );
    }
    if (!req.is(NDJSON))
      throw new BadRequestException({ message: [`body must be the NDJSON export (Content-Type ${NDJSON})`] });
    if ((await this.audit.store.headPosition()) > 0)
      throw new ConflictException('imports are accepted only into an empty event store; this one holds events');
    try {
      const result = await importLog(req, this.bulkImport, { keyring: this.audit.keyring() });
      // the digests in the imported log were signed by the exporting deployment's key: trust it here
      for (const pem of result.publicKeys) trustImportedPublicKey(this.audit.dataDir, pem);
      return { events: result.events, position: result.position, digest: result.digest, signed: result.signed };
    } catch (error) {
      if (error instanceof ImportError) throw new BadRequestException({ message: [`body ${error.message}`] });
      if (error instanceof EventStoreError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
