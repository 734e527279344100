import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, SqliteEventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit } from './support/fixtures';
import { tempDir } from './support/temp-dir';
import { auditCli as cli } from './support/cli';

const rows = (file: string) => {
  const store = new SqliteEventStore({ file, readonly: true });
  try {
    return store.database.prepare('SELECT * FROM events ORDER BY position').all();
  } finally {
    void store.close();
  }
};

describe("the auditor's CLI: digest, export, import, replay", () => {
  let api: TestApi;
  let issueId: string;
  let server: string;
  const scratch = tempDir('duban-cli-');

  beforeAll(async () => {
    api = await startTestApi();
    const unit = await createUnit(api, 'CL');
    issueId = await assignedIssue(api, unit);
    await api.as('admin').post('/api/v1/audit/digests').send({}).expect(201);
    server = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await api.close();
    scratch.remove();
  });

  it('prints a digest to keep, exports, imports into an empty data dir, and the copy verifies against the digest', async () => {
    const digest = await cli(['digest', '--data-dir', api.config.dataDir]);
    expect(digest.code).toBe(0);
    const kept = JSON.parse(digest.stdout);
    expect(kept).toMatchObject({ position: 4, digest: expect.stringMatching(/^[0-9a-f]{64}$/), verified: true });
    const keptFile = join(scratch.path, 'kept.json');
    writeFileSync(keptFile, digest.stdout);

    const out = join(scratch.path, 'log.ndjson');
    expect((await cli(['export', '--data-dir', api.config.dataDir, '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(JSON.parse(lines[5]).digest).toMatchObject({ position: 4, digest: kept.digest });

    const copyDir = join(scratch.path, 'copy');
    const imported = await cli(['import', out, '--data-dir', copyDir]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ events: 4, position: 4, digest: kept.digest, signed: false });
    expect(rows(join(copyDir, 'events.sqlite'))).toEqual(rows(join(api.config.dataDir, 'events.sqlite')));
    const verified = await cli(['verify', '--data-dir', copyDir, '--against', keptFile, '--progress']);
    expect(verified.stderr).toMatch(/^verify \[.*\] 100% \| position 4\/4/m);
    expect(verified.stderr).toMatch(/^OK: 4 events in 3 streams, 2\/2 digests matched/m);
    expect(verified.code).toBe(0);

    // the copy is no longer empty: a usage error; a doctored file: refused as tampered
    expect((await cli(['import', out, '--data-dir', copyDir])).code).toBe(2);
    const doctored = join(scratch.path, 'doctored.ndjson');
    writeFileSync(doctored, readFileSync(out, 'utf8').replace('"code":"CL"', '"code":"XX"'));
    const refused = await cli(['import', doctored, '--data-dir', join(scratch.path, 'other')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/import refused: line 2: hash_mismatch/);
  });

  it('exports from and imports into running servers (admin token for the import)', async () => {
    const out = join(scratch.path, 'server.ndjson');
    expect((await cli(['export', '--server', server, '--token', api.token('auditor'), '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]).digest.signature).toEqual(expect.any(String));
    const target = await startTestApi();
    try {
      const targetUrl = `http://127.0.0.1:${(target.app.getHttpServer().address() as { port: number }).port}`;
      const denied = await cli(['import', out, '--server', targetUrl, '--token', target.token('auditor')]);
      expect(denied.code).toBe(3);
      expect(denied.stderr).toMatch(/answered 403/);
      const done = await cli(['import', out, '--server', targetUrl, '--token', target.token('admin')]);
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ events: lines.length - 2, signed: true });
      expect(await target.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(lines.length - 2);
    } finally {
      await target.close();
    }
  });

  it('replays a stream as it stood, from the file and from the server', async () => {
    const [registered] = await api.app.get<EventStore>(EVENT_STORE).readStream(`issue-${issueId}`);
    const registeredAt = registered.metadata.recordedAt;
    const fromFile = await cli([
      'replay',
      '--stream',
      `issue-${issueId}`,
      '--as-of',
      registeredAt,
      '--data-dir',
      api.config.dataDir,
    ]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ revision: 0, state: { id: issueId, status: 'registered' } });
    const fromServer = await cli([
      'replay',
      '--stream',
      `issue-${issueId}`,
      '--as-of',
      new Date().toISOString(),
      '--server',
      server,
      '--token',
      api.token('auditor'),
    ]);
    expect(fromServer.code).toBe(0);
    expect(JSON.parse(fromServer.stdout)).toMatchObject({ revision: 1, state: { status: 'assigned' } });
    expect(
      (await cli(['replay', '--stream', `issue-${issueId}`, '--as-of', 'yesterday', '--data-dir', api.config.dataDir]))
        .code,
    ).toBe(2);
    expect(
      (
        await cli([
          'replay',
          '--stream',
          `issue-${issueId}`,
          '--as-of',
          '2000-01-01T00:00:00Z',
          '--data-dir',
          api.config.dataDir,
        ])
      ).code,
    ).toBe(2);
  });
});
