import { Controller, Get, HttpException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { IntField } from '../http/fields';
import { ApiBearer, ApiJson, ApiProblems, INTEGER, object, TEXT } from '../http/openapi';
import { AttachmentService } from './attachment.service';
import { contentDisposition, parseRange } from './content-disposition';

export class DownloadQueryDto {
  /** read-your-writes: wait until the read model holds this position (the answer of the command that referenced it) */
  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

const ATTACHMENT = object({ id: TEXT, sha256: TEXT, size: INTEGER, mediaType: TEXT, name: TEXT });

/** Evidence files (整改佐证材料): upload, then reference the id in a command; download where the caller may read. */
@ApiTags('attachments')
@ApiBearer()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentService) {}

  @Post()
  @Roles('registrar', 'unit_officer', 'assessor', 'supervisor')
  @ApiOperation({
    summary:
      'Upload an evidence file: the raw body (X-File-Name names it) or multipart/form-data; stored by its SHA-256, type sniffed from the bytes',
  })
  @ApiConsumes('application/octet-stream', 'multipart/form-data', 'image/jpeg', 'application/pdf')
  @ApiHeader({
    name: 'X-File-Name',
    required: false,
    description: 'the file name (percent-encoded UTF-8); metadata only',
  })
  @ApiJson(ATTACHMENT, 201, 'Created (the same bytes always answer the same id)')
  @ApiProblems(400, 403, 413, 415)
  upload(@Req() req: Request, @CurrentPrincipal() principal: Principal) {
    return this.attachments.upload(req, principal);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'Download an evidence file (Range requests, ETag): to whoever may read an issue or unit report referencing it, or its uploader until referenced',
  })
  @ApiResponse({
    status: 200,
    description: 'the file, with its media type and Content-Disposition (RFC 6266)',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiResponse({ status: 206, description: 'Partial Content: the requested range' })
  @ApiProblems(400, 404, 416, 503)
  async download(
    @Param('id') id: string,
    @Query() query: DownloadQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.attachments.readable(id, principal, query.minPosition);
    const etag = `"sha256:${file.sha256}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', 'private, no-cache');
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
      res.status(304).end();
      return;
    }
    const ifRange = req.headers['if-range'];
    const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      throw new HttpException(`the range ${req.headers.range} is outside the file's ${file.size} bytes`, 416);
    }
    const stream = await this.attachments.files.store.open(file.sha256, range ?? undefined);
    if (!stream) throw new HttpException(`no attachment ${id}`, 404);
    res.status(range ? 206 : 200);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Content-Disposition', contentDisposition(file.name));
    res.setHeader('Content-Type', file.mediaType);
    res.setHeader('Content-Length', String(range ? range.end - range.start + 1 : file.size));
    if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    res.on('close', () => stream.destroy());
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}
