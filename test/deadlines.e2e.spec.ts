import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import {
  workerQueue,
  FULL_LADDER,
  history,
  issueDueIn,
  SECONDS_POLICY,
  uniquePrefix,
  workerEnv,
  workerSteps,
} from './support/deadline-env';
import { waitUntil } from './support/wait';

/**
 * The deadline worker as a real child process beside the real API, on real Redis, with the policy in
 * seconds: reminders 4 s, 2 s and 0 s before the deadline, escalations 0, 2, 4 and 6 s after it.
 */
describe('deadline enforcement: reminders and the escalation ladder', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let unitId: string;
  let deadlines: ReturnType<typeof workerQueue>;
  /** Every deadline job due by now has run: no step already due can still come. */
  const settled = () =>
    waitUntil(async () => (await deadlines.pending({ dueBy: Date.now() })) === 0, 'no due deadline job left', 20_000);

  beforeAll(async () => {
    api = await startTestApi({ ...SECONDS_POLICY, QUEUE_PREFIX: uniquePrefix('deadlines') });
    unitId = await createUnit(api, 'DL-1');
    worker = startWorker(workerEnv(api));
    await worker.waitFor('worker processing queues');
    deadlines = workerQueue(api);
  });

  afterAll(async () => {
    await worker?.stop();
    await deadlines?.close();
    await api?.close();
  });

  it('fires every reminder and every escalation in order, each exactly once, each an event by system:worker', async () => {
    const issueId = await issueDueIn(api, unitId, 5);
    await waitUntil(async () => (await workerSteps(api, issueId)).length >= 7, 'the whole ladder', 20_000);
    await settled();
    expect(await workerSteps(api, issueId)).toEqual(FULL_LADDER);
    const events = await history(api, issueId);
    for (const e of events.filter((x) => x.type === 'ReminderSent' || x.type === 'IssueEscalated'))
      expect(e.actor).toMatchObject({ id: 'system:worker', role: 'system' });
    const escalated = events.filter((e) => e.type === 'IssueEscalated');
    // each escalation is recorded no earlier than it came due (deadline + offset)
    const deadline = Date.parse(escalated[0].data.deadline as string);
    escalated.forEach((e, i) =>
      expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(deadline + [0, 2000, 4000, 6000][i]),
    );
    const issue = await api.as('admin').get(`/api/v1/issues/${issueId}`);
    expect(issue.body.escalationLevel).toBe(4);
  }, 40_000);

  it('an approved extension cancels the old schedule and starts the new one', async () => {
    const issueId = await issueDueIn(api, unitId, 5);
    await waitUntil(async () => (await workerSteps(api, issueId)).includes('reminder PT4S v1'), 'the first reminder');
    const officer = api.as('unit_officer', unitId);
    const requested = await officer
      .post(`/api/v1/issues/${issueId}/extension-requests`)
      .send({ newDeadline: new Date(Date.now() + 9000).toISOString(), reason: '需协调' });
    expect(requested.status).toBe(201);
    const approved = await api
      .as('registrar')
      .post(`/api/v1/issues/${issueId}/extension-requests/${requested.body.requestId}/decision`)
      .send({ approved: true });
    expect(approved.status).toBe(200);
    await waitUntil(
      async () => (await workerSteps(api, issueId)).includes('escalation 1 v2'),
      'the new version’s first escalation',
      20_000,
    );
    const steps = await workerSteps(api, issueId);
    // nothing more of version 1 after the approval; version 2's ladder in order (reminders that were
    // already due when the deadline moved are left out)
    expect(steps.filter((s) => s.endsWith('v1'))).toEqual(['reminder PT4S v1']);
    const v2 = steps.filter((s) => s.endsWith('v2'));
    const ladder = FULL_LADDER.map((s) => s.replace('v1', 'v2'));
    expect(v2).toEqual(ladder.filter((s) => v2.includes(s)));
    expect(v2).toEqual(expect.arrayContaining(['reminder PT0S v2', 'escalation 1 v2']));
  }, 40_000);

  it("after the result is reported no further escalation comes; once closed, the ladder's later instants pass and record nothing", async () => {
    const assignedAt = Date.now();
    const issueId = await issueDueIn(api, unitId, 1);
    await waitUntil(async () => (await workerSteps(api, issueId)).includes('escalation 1 v1'), 'the first escalation');
    const officer = api.as('unit_officer', unitId);
    expect((await officer.post(`/api/v1/issues/${issueId}/result`).send({ summary: '已整改' })).status).toBe(200);
    const before = await workerSteps(api, issueId);
    expect(before.filter((s) => s.startsWith('escalation'))).toEqual(['escalation 1 v1']);
    expect(
      (await api.as('assessor').post(`/api/v1/issues/${issueId}/assessments`).send({ verdict: 'satisfied' })).status,
    ).toBe(200);
    expect((await api.as('registrar').post(`/api/v1/issues/${issueId}/close`).send({})).status).toBe(200);
    // escalations 2, 3 and 4 come due 2, 4 and 6 s after the deadline: wait until they are all due and their jobs ran
    await waitUntil(() => Date.now() >= assignedAt + 7_200, 'escalations 2 to 4 to be due');
    await settled();
    expect(await workerSteps(api, issueId)).toEqual(before);
    const issue = await api.as('admin').get(`/api/v1/issues/${issueId}`).expect(200);
    expect(issue.body).toMatchObject({ status: 'closed', escalationLevel: 1 });
  }, 40_000);
});
