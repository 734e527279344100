import {
  Inject,
  Injectable,
  NotFoundException,
  OnApplicationShutdown,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { CommandRunner } from '@duban/application';
import {
  AttachmentFiles,
  AttachmentTooLarge,
  MediaTypeRefused,
  openAttachmentFiles,
  type UploadedAttachment,
} from '@duban/attachments';
import { CONFIG, DubanConfig } from '@duban/config';
import { ATTACHMENT_ID_PATTERN, AttachmentRef, InvalidCommand, issueDecider } from '@duban/domain';
import { attachmentReferences } from '@duban/projections';
import type { Principal } from '../auth/principal';
import { inUnitScope, issueExists, unitScopeOf } from '../issues/issue-access';
import { ReadModelService } from '../read-model/read-model.service';
import { REFERENCE_FIELDS, type WithAttachmentIds } from './attachment-ids';
import { fileNameOf } from './file-name';

const ISSUE_STREAM = /^issue-(.+)$/;

/**
 * Evidence files: uploads streamed into the content-addressed store, ids in commands resolved into what the
 * event records (and pinned against the orphan sweep before the event is appended), downloads to whoever may
 * read a referencing issue or unit report, or to the uploader while nothing references the file.
 */
@Injectable()
export class AttachmentService implements OnApplicationShutdown {
  readonly files: AttachmentFiles;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModelService,
  ) {
    this.files = openAttachmentFiles(config);
  }

  /** A raw body (`X-File-Name` names it) or the first file of a multipart/form-data body. */
  async upload(req: Request, principal: Principal): Promise<UploadedAttachment> {
    const maxBytes = this.config.attachmentMaxBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes && !req.is('multipart/form-data')) throw tooLarge(req, maxBytes);
    try {
      if (req.is('multipart/form-data')) return await this.uploadMultipart(req, principal, maxBytes);
      const name = fileNameOf(req.headers['x-file-name']);
      return await this.files.upload(req, { maxBytes, uploader: principal.id, name });
    } catch (error) {
      if (error instanceof AttachmentTooLarge) throw tooLarge(req, maxBytes);
      if (error instanceof MediaTypeRefused) throw closing(req, new UnsupportedMediaTypeException(error.message));
      throw error;
    }
  }

  private uploadMultipart(req: Request, principal: Principal, maxBytes: number): Promise<UploadedAttachment> {
    return new Promise((resolve, reject) => {
      let form: busboy.Busboy;
      try {
        form = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20 } });
      } catch (error) {
        reject(new InvalidCommand('Content-Type', (error as Error).message));
        return;
      }
      // the form must end cleanly: a cut connection or a missing closing boundary refuses the file
      const formDone = new Promise<void>((done, failed) => {
        form.once('close', done);
        form.once('error', failed);
        req.once('aborted', () => failed(new Error('the client disconnected mid-upload')));
      });
      formDone.catch(() => undefined);
      let started = false;
      form.on('file', (_field, stream, info) => {
        if (started) return void stream.resume();
        started = true;
        const source = (async function* () {
          for await (const chunk of stream) yield chunk as Buffer;
          await formDone;
        })();
        this.files
          .upload(source, { maxBytes, uploader: principal.id, name: fileNameOf(info.filename) })
          .then(resolve, reject);
      });
      formDone.then(
        () => {
          if (!started) reject(new InvalidCommand('file', 'the form holds no file part'));
        },
        (error: Error) => {
          if (!started) reject(new InvalidCommand('file', error.message));
        },
      );
      req.pipe(form);
    });
  }

  /**
   * Replaces the ids of a command's evidence field by what the event records, and pins the files so the
   * orphan sweep leaves them (before the event is appended: a referenced file is never swept). An unknown id
   * is a 400 naming the field.
   */
  async resolve<C extends { type: string; data: object }>(command: WithAttachmentIds<C>, principal: Principal) {
    const field = REFERENCE_FIELDS[command.type as keyof typeof REFERENCE_FIELDS];
    const ids = field ? (command.data as Record<string, unknown>)[field] : undefined;
    if (!field || ids === undefined || ids === null) return command as unknown as C;
    const refs = await this.resolveIds(field, ids, principal);
    return { ...command, data: { ...command.data, [field]: refs } } as unknown as C;
  }

  /** The ids of one field resolved and pinned (undefined stays undefined): for commands of any aggregate. */
  async resolveIds(field: string, ids: unknown, principal: Principal): Promise<AttachmentRef[] | undefined> {
    if (ids === undefined || ids === null) return undefined;
    if (!Array.isArray(ids)) throw new InvalidCommand(field, 'must be a list of attachment ids');
    const refs: AttachmentRef[] = [];
    for (const [i, id] of ids.entries()) refs.push(await this.refOf(`${field}[${i}]`, id, principal));
    const unknown = this.files.catalog.pin(
      refs.map((r) => r.id),
      Date.now(),
    );
    if (unknown.length)
      throw new InvalidCommand(`${field}[${refs.findIndex((r) => r.id === unknown[0])}]`, gone(unknown[0]));
    return refs;
  }

  private async refOf(field: string, id: unknown, principal: Principal): Promise<AttachmentRef> {
    if (typeof id !== 'string' || !ATTACHMENT_ID_PATTERN.test(id))
      throw new InvalidCommand(field, 'must be an attachment id (sha256:<64 hex digits>) from POST /attachments');
    const entry = this.files.catalog.find(id);
    const sha256 = id.slice('sha256:'.length);
    if (!entry || !(await this.files.store.stat(sha256))) throw new InvalidCommand(field, gone(id));
    const name = this.files.catalog.nameFor(id, principal.id) ?? sha256;
    return { id, sha256, size: entry.size, mediaType: entry.mediaType, name };
  }

  /** The file's catalog entry when `principal` may read it, else 404 (never saying whether it exists). */
  async readable(
    id: string,
    principal: Principal,
    minPosition?: number,
  ): Promise<{ sha256: string; size: number; mediaType: string; name: string }> {
    const hidden = new NotFoundException(`no attachment ${id}`);
    if (!ATTACHMENT_ID_PATTERN.test(id)) throw hidden;
    const entry = this.files.catalog.find(id);
    if (!entry) throw hidden;
    await this.readModel.ensure(minPosition);
    const references = attachmentReferences(this.readModel.db, id);
    const allowed =
      references.length === 0
        ? this.files.catalog.uploadedBy(id, principal.id)
        : await this.mayReadAny(references, principal);
    if (!allowed) throw hidden;
    const name = this.files.catalog.nameFor(id, principal.id) ?? id.slice('sha256:'.length);
    return { sha256: entry.id.slice('sha256:'.length), size: entry.size, mediaType: entry.mediaType, name };
  }

  /** An issue the caller may read (its unit scope), or a unit report of a unit in their scope; the office reads all. */
  private async mayReadAny(references: { streamId: string; unitId: string | null }[], principal: Principal) {
    const scope = unitScopeOf(principal);
    for (const { streamId, unitId } of references) {
      const issueId = ISSUE_STREAM.exec(streamId)?.[1];
      if (!issueId) {
        if (scope === null || (unitId !== null && scope.includes(unitId))) return true;
        continue;
      }
      if (scope === null) return true;
      const { state, revision } = await this.runner.load(streamId, issueDecider);
      if (issueExists(revision) && inUnitScope(principal, state)) return true;
    }
    return false;
  }

  onApplicationShutdown(): void {
    this.files.close();
  }
}

const gone = (id: string) => `no attachment ${id}: upload the file first (POST /attachments answers its id)`;

/** After refusing an upload mid-body, the rest of it is not worth reading: the connection closes. */
function closing<E extends Error>(req: Request, error: E): E {
  req.res?.setHeader('Connection', 'close');
  return error;
}

const tooLarge = (req: Request, maxBytes: number) =>
  closing(
    req,
    new PayloadTooLargeException(`the file is larger than the limit of ${maxBytes} bytes (ATTACHMENT_MAX_BYTES)`),
  );
