import { join } from 'node:path';
import {
  breakDataJson,
  changeOneByteOfData,
  deleteEvent,
  editEventRow,
  forgeAndRehash,
  RowEdit,
  forgeDigest,
  swapEvents,
} from '@duban/audit/testing/tamper';
import { EVENT_STORE, SqliteEventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit } from './support/fixtures';
import { auditCli as cli } from './support/cli';

interface Located {
  reason: string;
  position: number;
  streamId?: string;
  revision?: number;
}

/**
 * The attacker edits the SQLite file directly (triggers dropped); the endpoint, the CLI on the file
 * and the CLI against the server must each find the same first break.
 */
describe('tampering with the event store file is detected and located', () => {
  let api: TestApi;
  let file: string;
  let issueA: string;
  let issueB: string;
  const stream = (t: SqliteEventStore, id: string) => t.readStreamSync(`issue-${id}`, { raw: true });

  beforeEach(async () => {
    api = await startTestApi();
    file = join(api.config.dataDir, 'events.sqlite');
    const unit = await createUnit(api, 'TP');
    issueA = await assignedIssue(api, unit);
    issueB = await assignedIssue(api, unit);
    await api.as('admin').post('/api/v1/audit/digests').send({}).expect(201);
    for (const id of [issueA, issueB])
      await api.as('unit_officer', unit).post(`/api/v1/issues/${id}/progress`).send({ text: '进展' }).expect(200);
    await api.as('admin').post('/api/v1/audit/digests').send({}).expect(201);
  });
  afterEach(async () => api.close());

  const store = () => api.app.get(EVENT_STORE) as SqliteEventStore;

  async function endpointFinds(): Promise<{ ok: boolean; firstBreak: Located & { suspects?: unknown[] } }> {
    const res = await api
      .as('auditor')
      .get('/api/v1/audit/verify')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    const lines = (res.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return lines[lines.length - 1].result;
  }

  async function everyoneFinds(expected: Partial<Located>): Promise<void> {
    const endpoint = await endpointFinds();
    expect(endpoint.ok).toBe(false);
    expect(endpoint.firstBreak).toMatchObject(expected);
    const onFile = await cli(['verify', '--data-dir', api.config.dataDir]);
    expect(onFile.code).toBe(1);
    expect(JSON.parse(onFile.stdout).firstBreak).toMatchObject(expected);
    expect(onFile.stderr).toMatch(
      new RegExp(`TAMPERED: .*first break at position ${expected.position}.*${expected.reason}`),
    );
    const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
    const viaServer = await cli(['verify', '--server', url, '--token', api.token('auditor')]);
    expect(viaServer.code).toBe(1);
    expect(JSON.parse(viaServer.stdout).firstBreak).toMatchObject(expected);
  }

  it('a clean log verifies: exit code 0, and 2 for a usage error', async () => {
    expect((await endpointFinds()).ok).toBe(true);
    const clean = await cli(['verify', '--data-dir', api.config.dataDir]);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toMatch(/^OK: \d+ events in \d+ streams, 2\/2 digests matched/);
    expect((await cli(['verify', '--nonsense'])).code).toBe(2);
    expect((await cli(['replay', '--data-dir', api.config.dataDir])).code).toBe(2);
  });

  it("one changed byte of an event's data: hash mismatch at that event", async () => {
    const target = stream(store(), issueA)[1];
    changeOneByteOfData(file, target.position);
    await everyoneFinds({
      reason: 'hash_mismatch',
      streamId: `issue-${issueA}`,
      revision: 1,
      position: target.position,
    });
  });

  const edits: Record<string, RowEdit> = {
    'its actor': { metadata: (m) => ({ ...m, actor: { id: 'someone-else', role: 'admin' } }) },
    'its recordedAt': { metadata: (m) => ({ ...m, recordedAt: '2020-01-01T00:00:00.000Z' }) },
    'its type': { type: 'IssueClosed' },
  };

  it.each(Object.keys(edits))(
    'an event with %s changed, and a later one too: hash mismatch at the first changed event',
    async (kind) => {
      const [, assigned] = stream(store(), issueA);
      const [, , laterProgress] = stream(store(), issueB);
      expect(laterProgress.position).toBeGreaterThan(assigned.position);
      // the later edit is of another kind, so each kind is what is found first once
      const other = Object.keys(edits).find((k) => k !== kind)!;
      editEventRow(file, laterProgress.position, edits[other]);
      editEventRow(file, assigned.position, edits[kind]);
      await everyoneFinds({
        reason: 'hash_mismatch',
        streamId: `issue-${issueA}`,
        revision: 1,
        position: assigned.position,
      });
    },
  );

  it('an event whose actor and recordedAt are forged and re-hashed without the key: the signed digest disagrees there', async () => {
    const progress = stream(store(), issueA)[2];
    forgeAndRehash(file, progress.position, (data) => data, edits['its actor']);
    forgeAndRehash(file, progress.position, (data) => data, edits['its recordedAt']);
    await everyoneFinds({
      reason: 'digest_mismatch',
      streamId: `issue-${issueA}`,
      revision: 2,
      position: progress.position,
    });
  });

  it('data cut short (no longer JSON): located, and the audit views answer without failing', async () => {
    const target = stream(store(), issueA)[1];
    breakDataJson(file, target.position);
    await everyoneFinds({
      reason: 'hash_mismatch',
      streamId: `issue-${issueA}`,
      revision: 1,
      position: target.position,
    });
    const page = await api
      .as('auditor')
      .get(`/api/v1/audit/events?fromPosition=${target.position - 1}&limit=1`)
      .expect(200);
    expect(page.body.events[0]).toMatchObject({
      position: target.position,
      corrupt: ['data'],
      data: expect.any(String),
    });
    const res = await api.as('auditor').get(`/api/v1/audit/streams/issue-${issueA}`).expect(409);
    expect(res.body.detail).toMatch(/not valid JSON.*audit\/verify/);
  });

  it('a deleted row: the next event of its stream names the missing revision', async () => {
    const [, assigned, progress] = stream(store(), issueB);
    deleteEvent(file, assigned.position);
    await everyoneFinds({
      reason: 'missing_revision',
      streamId: `issue-${issueB}`,
      revision: 2,
      position: progress.position,
    });
  });

  it('two rows swapped: reordered, at the first one out of place', async () => {
    const [, assigned, progress] = stream(store(), issueA);
    swapEvents(file, assigned.position, progress.position);
    await everyoneFinds({ reason: 'reordered', streamId: `issue-${issueA}`, revision: 2, position: assigned.position });
  });

  it('a forged event re-hashed without the key: the signed digest disagrees and names the stream and revision', async () => {
    const progress = stream(store(), issueB)[2];
    forgeAndRehash(file, progress.position, (data) => ({ ...data, text: '伪造的进展' }));
    await everyoneFinds({
      reason: 'digest_mismatch',
      streamId: `issue-${issueB}`,
      revision: 2,
      position: progress.position,
    });
    const { firstBreak } = await endpointFinds();
    expect(firstBreak.suspects).toEqual([expect.objectContaining({ streamId: `issue-${issueB}`, fromRevision: 2 })]);
  });

  it('a forged digest fails its signature', async () => {
    const [first] = store().readStreamSync('audit', { raw: true });
    forgeDigest(file, first.position);
    await everyoneFinds({
      reason: 'digest_signature_invalid',
      streamId: 'audit',
      revision: 0,
      position: first.position,
    });
    // the last digest is sound here, so digests go on; forging the last one stops them
    const [, second] = store().readStreamSync('audit', { raw: true });
    forgeDigest(file, second.position);
    const refused = await api.as('admin').post('/api/v1/audit/digests').send({}).expect(409);
    expect(refused.body.detail).toMatch(/does not verify/);
  });
});
