import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicUuid, EVENT_STORE, EventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { uniquePrefix, workerEnv } from './support/deadline-env';
import { waitUntil } from './support/wait';

interface Entry {
  id: string;
  type: string;
  data: Record<string, unknown>;
  actor: { id: string };
  causationId: string | null;
}

const CONSEQUENCES = 'system:consequences';

/**
 * Consequences that follow by themselves (issue 14 §2): the worker reads the log from its own checkpoint and
 * issues each follow-up exactly once — across a SIGKILL midway — with the trigger as causation and its own actor.
 */
describe('consequences: a black listing or a finding brings its follow-ups, each exactly once', () => {
  let api: TestApi;
  let worker: WorkerProcess | undefined;
  let unit: string;
  const events = async (id: string): Promise<Entry[]> =>
    (await api.as('admin').get(`/api/v1/issues/${id}/history`).expect(200)).body.events;
  const followUps = async (id: string) => (await events(id)).filter((e) => e.actor.id === CONSEQUENCES);
  const get = async (id: string) => (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;

  beforeAll(async () => {
    api = await startTestApi({ QUEUE_PREFIX: uniquePrefix('consequences') });
    unit = await createUnit(api, 'CONS1', '市城管局', { head: { name: '赵局长', title: '局长' } });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('a bad CONSEQUENCE_POLICY_FILE stops the worker at start with one line naming the variable and the field', async () => {
    const file = join(api.config.dataDir, 'bad-policy.json');
    writeFileSync(file, JSON.stringify({ blackList: { escalateToLevel: 9 } }));
    const bad = startWorker(workerEnv(api, { CONSEQUENCE_POLICY_FILE: file, WORKER_NAME: 'bad-policy' }));
    const code = await waitUntil(() => bad.child.exitCode ?? false, 'the worker to exit', 30_000);
    expect(code).toBe(1);
    const lines = bad
      .output()
      .split('\n')
      .filter((l) => l.includes('CONSEQUENCE_POLICY_FILE'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^duban-worker: failed to start: invalid configuration: CONSEQUENCE_POLICY_FILE .*blackList.escalateToLevel/,
      ),
    ]);
  });

  it('black list → criticism record, notice, level ≥ 2, a new deadline version and a pending proposal, once each, also after a SIGKILL midway', async () => {
    // a pause between the issue's follow-ups (one append) and the notice, so the kill lands midway
    worker = startWorker(workerEnv(api, { CONSEQUENCE_STEP_PAUSE_MS: '1500' }));
    await worker.waitFor('worker processing queues');
    const id = await assignedIssue(api, unit, 10);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/lists`)
      .send({ list: 'black', reason: '推诿扯皮' })
      .expect(200);
    const listed = (await events(id)).find((e) => e.type === 'IssueListed')!;

    await waitUntil(async () => (await followUps(id)).length > 0, 'the first follow-up');
    await worker.stop('SIGKILL');
    const store = api.app.get(EVENT_STORE) as EventStore;
    const noticeId = deterministicUuid(`consequence|black_list|notice|${listed.id}`);
    expect(await store.readStream(`notice-${noticeId}`)).toEqual([]);

    worker = startWorker(workerEnv(api));
    await worker.waitFor('consequences followed');
    const after = await followUps(id);
    const ofType = (type: string) => after.filter((e) => e.type === type);
    expect(ofType('AccountabilityRecorded').map((e) => e.data.measure)).toEqual(['criticism_notice']);
    expect(ofType('IssueEscalated')).toHaveLength(1);
    expect(ofType('TimeLimitOrdered')).toHaveLength(1);
    expect(ofType('AccountabilityProposed')).toHaveLength(1);
    expect(after).toHaveLength(4);
    for (const event of after) expect(event.causationId).toBe(listed.id);

    const issue = await get(id);
    expect(issue.escalationLevel).toBeGreaterThanOrEqual(2);
    expect(issue.deadlineVersion).toBe(2);
    expect(issue.deadlineWorkingDays).toBe(15);
    expect(issue.proposals).toEqual([
      expect.objectContaining({ kind: 'disciplinary_referral', status: 'pending', causedBy: listed.id }),
    ]);
    expect(issue.accountability).toEqual([
      expect.objectContaining({ measure: 'criticism_notice', target: { kind: 'unit', unitId: unit } }),
    ]);
    // the 通报: created and published once, naming the lead unit and the issue
    const notice = await store.readStream(`notice-${noticeId}`);
    expect(notice.map((e) => e.type)).toEqual(['NoticeCreated', 'NoticePublished']);
    expect(notice[0].data).toMatchObject({ kind: 'criticism', unitIds: [unit], issueIds: [id] });
    expect(notice.every((e) => e.metadata.causationId === listed.id)).toBe(true);
  });

  it('a falsified finding on a closed issue → reopened with a new deadline and a summons proposal against the unit head; deciding it over HTTP records the summons once', async () => {
    worker ??= startWorker(workerEnv(api));
    const id = await assignedIssue(api, unit, 10);
    await api.as('unit_officer', unit).post(`/api/v1/issues/${id}/result`).send({ summary: '已整改' }).expect(200);
    await api.as('assessor').post(`/api/v1/issues/${id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({}).expect(200);
    await api
      .as('assessor')
      .post(`/api/v1/issues/${id}/findings`)
      .send({ kind: 'falsified', note: '整改材料与现场不符' })
      .expect(200);
    const finding = (await events(id)).find((e) => e.type === 'FindingRecorded')!;

    const issue = await waitUntil(async () => {
      const now = await get(id);
      return now.status === 'reopened' && now.proposals.length === 1 && now;
    }, 'the reopening and the proposal');
    expect(issue.deadlineVersion).toBe(2);
    const [proposal] = issue.proposals;
    expect(proposal).toMatchObject({
      kind: 'summons',
      status: 'pending',
      causedBy: finding.id,
      target: { kind: 'person', name: '赵局长', unitId: unit, principal: true },
    });
    const follow = await followUps(id);
    expect(follow.map((e) => e.type).sort()).toEqual(['AccountabilityProposed', 'IssueReopened']);
    for (const event of follow) expect(event.causationId).toBe(finding.id);

    const decision = `/api/v1/issues/${id}/proposals/${proposal.id}/decision`;
    await api.as('unit_officer', unit).post(decision).send({ approved: true }).expect(403);
    await api.as('registrar').post(decision).send({ approved: true, note: '同意约谈' }).expect(200);
    const decided = await get(id);
    expect(decided.proposals[0]).toMatchObject({ status: 'approved', note: '同意约谈' });
    expect(decided.accountability).toEqual([expect.objectContaining({ measure: 'summons', target: proposal.target })]);
    const again = await api.as('registrar').post(decision).send({ approved: false }).expect(409);
    expect(again.body.detail).toMatch(/already approved/);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/proposals/${deterministicUuid('no such proposal')}/decision`)
      .send({ approved: true })
      .expect(404);
    await api.as('registrar').post(decision).send({ approved: 'yes' }).expect(400);
  });
});
