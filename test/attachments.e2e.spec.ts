import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { AttachmentService } from '../apps/api/src/attachments/attachment.service';
import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { auditCli as cli } from './support/cli';
import { assignedIssue, createUnit } from './support/fixtures';
import { tempDir } from './support/temp-dir';
import { waitUntil } from './support/wait';

const MAX_BYTES = 256 * 1024;
const jpeg = (size = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const pdf = (size = 2048) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every stored file of a data dir (by hash), leaving out the staging directory. */
function storedFiles(dataDir: string): string[] {
  const root = join(dataDir, 'attachments');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => d !== 'tmp')
    .flatMap((d) => readdirSync(join(root, d)))
    .sort();
}
const temporaries = (dataDir: string) => {
  const tmp = join(dataDir, 'attachments', 'tmp');
  return existsSync(tmp) ? readdirSync(tmp) : [];
};

describe('evidence files: upload, reference, download, verify, export/import, sweep', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let issueId: string;
  const scratch = tempDir('duban-attach-');

  const upload = (bytes: Buffer, name: string, role: 'unit_officer' | 'registrar' = 'unit_officer', unit = unitA) =>
    api.http
      .post('/api/v1/attachments')
      .set('Authorization', `Bearer ${api.token(role, role === 'unit_officer' ? unit : undefined)}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-File-Name', encodeURIComponent(name))
      .send(bytes);
  const download = (id: string, role: 'unit_officer' | 'registrar' | 'auditor', unit?: string) =>
    api.http
      .get(`/api/v1/attachments/${id}`)
      .set('Authorization', `Bearer ${api.token(role, unit)}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const verify = async () => {
    const res = await api.as('auditor').get('/api/v1/audit/verify').expect(200);
    const lines = res.text.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]).result;
  };

  beforeAll(async () => {
    api = await startTestApi({ ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    unitA = await createUnit(api, 'EA');
    unitB = await createUnit(api, 'EB');
    issueId = await assignedIssue(api, unitA);
  });
  afterAll(async () => {
    await api.close();
    scratch.remove();
  });

  let photo: Buffer;
  let photoId: string;

  it('stores an upload by its hash, sniffs its type from the bytes, and answers the same id for the same bytes', async () => {
    photo = jpeg(64 * 1024);
    const first = await upload(photo, '整改后 现场照片.jpg').expect(201);
    photoId = `sha256:${sha256(photo)}`;
    expect(first.body).toEqual({
      id: photoId,
      sha256: sha256(photo),
      size: photo.length,
      mediaType: 'image/jpeg',
      name: '整改后 现场照片.jpg',
    });
    // the client's Content-Type is not trusted; the same bytes again: the same id, one file
    const again = await upload(photo, '整改后 现场照片.jpg').expect(201);
    expect(again.body.id).toBe(photoId);
    expect(storedFiles(api.config.dataDir)).toEqual([sha256(photo)]);
    // multipart/form-data too
    const form = pdf();
    const viaForm = await api.http
      .post('/api/v1/attachments')
      .set('Authorization', `Bearer ${api.token('registrar')}`)
      .attach('file', form, { filename: '整改报告.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(viaForm.body).toMatchObject({
      id: `sha256:${sha256(form)}`,
      mediaType: 'application/pdf',
      name: '整改报告.pdf',
    });
  });

  it('refuses a type off the allow-list (415) and a file over the limit (413), leaving nothing behind', async () => {
    const before = storedFiles(api.config.dataDir);
    const exe = Buffer.concat([Buffer.from('MZ'), randomBytes(4000)]);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    for (const bytes of [exe, html]) {
      const res = await upload(bytes, 'x.jpg').expect(415);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await upload(jpeg(MAX_BYTES + 1), 'big.jpg').expect(413);
    // chunked, so the limit is found while streaming, not from Content-Length
    const chunked = await new Promise<number>((resolve, reject) => {
      const { port } = api.app.getHttpServer().address() as { port: number };
      const req = httpRequest(
        {
          port,
          method: 'POST',
          path: '/api/v1/attachments',
          headers: { Authorization: `Bearer ${api.token('registrar')}`, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      const big = jpeg(MAX_BYTES * 2);
      for (let i = 0; i < big.length; i += 16 * 1024) req.write(big.subarray(i, i + 16 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    await waitUntil(() => temporaries(api.config.dataDir).length === 0, 'no temporary file');
    expect(storedFiles(api.config.dataDir)).toEqual(before);
  });

  it('a truncated upload (the client disconnects mid-body) leaves no temporary file and no id', async () => {
    const before = storedFiles(api.config.dataDir);
    const { port } = api.app.getHttpServer().address() as { port: number };
    const req = httpRequest({
      port,
      method: 'POST',
      path: '/api/v1/attachments',
      headers: {
        Authorization: `Bearer ${api.token('registrar')}`,
        'Content-Type': 'image/jpeg',
        'Content-Length': String(200_000),
      },
    });
    req.on('error', () => undefined);
    const part = jpeg(100_000);
    req.write(part);
    await waitUntil(() => temporaries(api.config.dataDir).length > 0, 'the upload to be staged');
    req.destroy();
    await waitUntil(() => temporaries(api.config.dataDir).length === 0, 'the staged part to be removed');
    expect(storedFiles(api.config.dataDir)).toEqual(before);
  });

  it('concurrent uploads of the same bytes give one id and one file', async () => {
    const bytes = pdf(128 * 1024);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(bytes, `r${i}.pdf`)));
    expect(new Set(answers.map((a) => `${a.status} ${a.body.id}`))).toEqual(new Set([`201 sha256:${sha256(bytes)}`]));
    expect(storedFiles(api.config.dataDir).filter((f) => f === sha256(bytes))).toHaveLength(1);
    expect(temporaries(api.config.dataDir)).toEqual([]);
  });

  it('a path in X-File-Name is only a label: stored by hash, named by its last segment', async () => {
    const bytes = jpeg();
    const res = await upload(bytes, '../../../etc/passwd').expect(201);
    expect(res.body.name).toBe('passwd');
    expect(readFileSync(join(api.config.dataDir, 'attachments', sha256(bytes).slice(0, 2), sha256(bytes)))).toEqual(
      bytes,
    );
    expect(existsSync(join(api.config.dataDir, '..', 'etc', 'passwd'))).toBe(false);
  });

  it('before it is referenced only the uploader reads a file; an unknown id in a command is 400 naming the field', async () => {
    await download(photoId, 'unit_officer', unitA).expect(200);
    await download(photoId, 'unit_officer', unitB).expect(404);
    await download(photoId, 'registrar').expect(404);
    await download(`sha256:${'0'.repeat(64)}`, 'registrar').expect(404);
    await download('not-an-id', 'registrar').expect(404);
    const unknown = `sha256:${'e'.repeat(64)}`;
    const res = await api
      .as('unit_officer', unitA)
      .post(`/api/v1/issues/${issueId}/result`)
      .send({ summary: '已整改', evidence: [photoId, unknown] })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['evidence[1]']);
    const malformed = await api
      .as('unit_officer', unitA)
      .post(`/api/v1/issues/${issueId}/progress`)
      .send({ text: '进行中', attachments: ['photos/after.jpg'] })
      .expect(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field)).toEqual(['attachments']);
  });

  let resultPosition: number;

  it('a result references it: the event records {id, sha256, size, mediaType, name}; the lead unit reads it (200), another unit not (404)', async () => {
    const answer = await api
      .as('unit_officer', unitA)
      .post(`/api/v1/issues/${issueId}/result`)
      .send({ summary: '已整改到位', evidence: [photoId] })
      .expect(200);
    resultPosition = answer.body.position;
    const history = await api.as('registrar').get(`/api/v1/issues/${issueId}/history`).expect(200);
    const reported = history.body.events.find((e: { type: string }) => e.type === 'ResultReported');
    expect(reported.data.evidence).toEqual([
      { id: photoId, sha256: sha256(photo), size: photo.length, mediaType: 'image/jpeg', name: '整改后 现场照片.jpg' },
    ]);
    // read-your-writes: the reference is in the read model once it reaches the result's position
    const got = await download(`${photoId}?minPosition=${resultPosition}`, 'unit_officer', unitA).expect(200);
    expect(Buffer.compare(got.body as Buffer, photo)).toBe(0);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers.etag).toBe(`"${photoId}"`);
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="___ ____.jpg"; filename*=UTF-8''${encodeURIComponent('整改后 现场照片.jpg')}`,
    );
    await download(photoId, 'unit_officer', unitB).expect(404);
    await download(photoId, 'registrar').expect(200);
    await download(photoId, 'auditor').expect(200);
  });

  it('answers ranges (206, 416) and revalidation (304)', async () => {
    const part = await download(photoId, 'registrar').set('Range', 'bytes=10-19').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${photo.length}`);
    expect(Buffer.compare(part.body as Buffer, photo.subarray(10, 20))).toBe(0);
    const tail = await download(photoId, 'registrar').set('Range', 'bytes=-5').expect(206);
    expect(Buffer.compare(tail.body as Buffer, photo.subarray(photo.length - 5))).toBe(0);
    const outside = await download(photoId, 'registrar').set('Range', `bytes=${photo.length}-`).expect(416);
    expect(outside.headers['content-range']).toBe(`bytes */${photo.length}`);
    await download(photoId, 'registrar').set('If-None-Match', `"${photoId}"`).expect(304);
  });

  it('verify checks every referenced file: clean now', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, files: { referenced: 1, checked: 1, missing: [], altered: [] } });
    const local = await cli(['verify', '--data-dir', api.config.dataDir]);
    expect(local.code).toBe(0);
    expect(local.stderr).toMatch(/^OK: .*1\/1 evidence files checked/m);
  });

  it('export with attachments → import into an empty store → the same events, read model and files', async () => {
    const out = join(scratch.path, 'log.ndjson');
    const filesDir = join(scratch.path, 'files');
    const exported = await cli(['export', '--data-dir', api.config.dataDir, '--out', out, '--attachments', filesDir]);
    expect(exported.code).toBe(0);
    expect(readdirSync(filesDir)).toEqual([sha256(photo)]);
    const copyDir = join(scratch.path, 'copy');
    const imported = await cli(['import', out, '--data-dir', copyDir, '--attachments', filesDir]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).attachments).toMatchObject({ files: 1, missing: [], altered: [] });
    expect(storedFiles(copyDir)).toEqual([sha256(photo)]);

    const copy = await startTestApi({ DATA_DIR: copyDir });
    try {
      const head = JSON.parse(imported.stdout).position as number;
      await copy.app.get(ReadModelService).ensure(head);
      await api.app.get(ReadModelService).ensure(head);
      const dump = (dir: string) => {
        const db = new Database(join(dir, 'readmodel-api.sqlite'), { readonly: true });
        try {
          return ['issues', 'units', 'attachment_references'].map((t) =>
            db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all(),
          );
        } finally {
          db.close();
        }
      };
      expect(dump(copyDir)).toEqual(dump(api.config.dataDir));
      const got = await copy.http
        .get(`/api/v1/attachments/${photoId}`)
        .set('Authorization', `Bearer ${copy.token('unit_officer', unitA)}`)
        .expect(200);
      expect(Buffer.compare(got.body as Buffer, photo)).toBe(0);
      const verified = await copy.as('auditor').get('/api/v1/audit/verify').expect(200);
      expect(verified.text).toContain('"files":{"referenced":1,"checked":1,"missing":[],"altered":[]}');
    } finally {
      await copy.close();
    }
    // an altered file in the export directory is refused on import
    writeFileSync(join(filesDir, sha256(photo)), jpeg());
    const refused = await cli(['import', out, '--data-dir', join(scratch.path, 'copy2'), '--attachments', filesDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${photoId} altered`);
  });

  it('one flipped byte in a stored file: verify names the file and the event that references it; the CLI exits 1', async () => {
    const file = join(api.config.dataDir, 'attachments', sha256(photo).slice(0, 2), sha256(photo));
    const bytes = readFileSync(file);
    bytes[100] ^= 0x01;
    writeFileSync(file, bytes);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([]);
    expect(report.files.altered).toEqual([
      {
        id: photoId,
        actualSha256: sha256(bytes),
        events: [
          {
            position: resultPosition,
            streamId: `issue-${issueId}`,
            revision: expect.any(Number),
            type: 'ResultReported',
          },
        ],
      },
    ]);
    const local = await cli(['verify', '--data-dir', api.config.dataDir]);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`altered ${photoId} (referenced by ResultReported at position ${resultPosition}`);

    rmSync(file);
    const missing = await verify();
    expect(missing.files).toMatchObject({ missing: [{ id: photoId }], altered: [] });
    writeFileSync(file, photo);
  });

  it('the orphan sweep removes files never referenced after the grace period, never a referenced one', async () => {
    const files = api.app.get(AttachmentService).files;
    const before = storedFiles(api.config.dataDir);
    expect(before.length).toBeGreaterThan(1);
    // within the grace period nothing goes
    expect((await files.sweepOrphans(api.config.attachmentOrphanGrace.ms)).removed).toEqual([]);
    // a day later: every unreferenced upload goes, the referenced photo stays
    const later = Date.now() + api.config.attachmentOrphanGrace.ms + 60_000;
    const swept = await files.sweepOrphans(api.config.attachmentOrphanGrace.ms, later);
    expect(swept.removed).not.toContain(photoId);
    expect(storedFiles(api.config.dataDir)).toEqual([sha256(photo)]);
    expect(statSync(join(api.config.dataDir, 'attachments', sha256(photo).slice(0, 2), sha256(photo))).size).toBe(
      photo.length,
    );
    expect((await verify()).ok).toBe(true);
  });

  it("a unit report's attachments: its unit's officers and the office read them, another unit's officers do not", async () => {
    const bytes = pdf();
    const id = (await upload(bytes, '专项报告.pdf', 'unit_officer', unitB).expect(201)).body.id as string;
    const request = await api
      .as('registrar')
      .post('/api/v1/report-requests')
      .send({ title: '专项报告', kind: 'special', unitIds: [unitB], dueDate: '2099-12-10' })
      .expect(201);
    const unknown = `sha256:${'d'.repeat(64)}`;
    await api
      .as('unit_officer', unitB)
      .post(`/api/v1/report-requests/${request.body.id}/reports`)
      .send({ unitId: unitB, text: '已完成', attachments: [unknown] })
      .expect(400);
    const submitted = await api
      .as('unit_officer', unitB)
      .post(`/api/v1/report-requests/${request.body.id}/reports`)
      .send({ unitId: unitB, text: '已完成', attachments: [id] })
      .expect((res) => expect(res.status).toBeLessThan(300));
    const at = `${id}?minPosition=${submitted.body.position}`;
    await download(at, 'unit_officer', unitB).expect(200);
    await download(at, 'registrar').expect(200);
    await download(at, 'unit_officer', unitA).expect(404);
    expect((await verify()).files).toMatchObject({ referenced: 2, checked: 2, missing: [], altered: [] });
  });
});
