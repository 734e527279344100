import { EVENT_STORE, EventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { uniquePrefix, workerEnv } from './support/deadline-env';
import { waitUntil } from './support/wait';

const CONSEQUENCES = 'system:consequences';

/**
 * The consequences' cut-off (CONSEQUENCES_FROM): deployed onto a log that already holds black listings, the first
 * worker records the head of the log as where the consequences start, and the old triggers get no follow-ups;
 * the record stands for every later worker. With `beginning`, the first worker follows the old triggers too.
 */
describe('consequences: where they start on a log that already holds triggers', () => {
  const apis: TestApi[] = [];
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(apis.map((a) => a.close()));
  });

  const setUp = async (name: string) => {
    const api = await startTestApi({ QUEUE_PREFIX: uniquePrefix(name) });
    apis.push(api);
    const unit = await createUnit(api, 'CUT1', '市住建局', { head: { name: '钱局长', title: '局长' } });
    const blackListed = async () => {
      const id = await assignedIssue(api, unit, 10);
      await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/lists`)
        .send({ list: 'black', reason: '推诿扯皮' })
        .expect(200);
      return id;
    };
    const followUps = async (id: string) =>
      (
        (await api.as('admin').get(`/api/v1/issues/${id}/history`).expect(200)).body.events as {
          actor: { id: string };
        }[]
      ).filter((e) => e.actor.id === CONSEQUENCES);
    const proposals = async (id: string) =>
      (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body.proposals as unknown[];
    const worker = async (env: Record<string, string>) => {
      const started = startWorker(workerEnv(api, env));
      workers.push(started);
      await started.waitFor('worker processing queues');
      return started;
    };
    const cutOffRecords = async () =>
      (await (api.app.get(EVENT_STORE) as EventStore).readStream('consequences')).map((e) => ({
        type: e.type,
        data: e.data as { position: number; from: string },
        actor: e.metadata.actor.id,
      }));
    return { api, blackListed, followUps, proposals, worker, cutOffRecords };
  };

  it('by default (head) the first worker records the head of the log: earlier black listings get no follow-ups, later ones do, and a later worker keeps the recorded cut-off', async () => {
    const t = await setUp('cutoff-head');
    const old = await t.blackListed();
    const head = await (t.api.app.get(EVENT_STORE) as EventStore).headPosition();

    const first = await t.worker({});
    expect(first.output()).toContain(`consequences follow triggers after position ${head}`);
    expect(await t.cutOffRecords()).toEqual([
      {
        type: 'ConsequencesCutOffSet',
        data: expect.objectContaining({ position: head, from: 'head' }),
        actor: CONSEQUENCES,
      },
    ]);
    await first.waitFor('consequences skipped triggers before the cut-off');

    const fresh = await t.blackListed();
    await waitUntil(async () => (await t.proposals(fresh)).length === 1, 'the new listing’s proposal');
    expect(await t.followUps(old)).toEqual([]);
    await first.stop();

    // another worker (its own read model, so it sees every trigger again), told to start from the beginning:
    // the cut-off recorded in the log stands, and the new listing's follow-ups are not repeated
    const second = await t.worker({ WORKER_NAME: 'second', CONSEQUENCES_FROM: 'beginning' });
    expect(second.output()).toContain(`consequences follow triggers after position ${head}`);
    await second.waitFor('consequences followed');
    expect(await t.cutOffRecords()).toHaveLength(1);
    expect(await t.followUps(old)).toEqual([]);
    expect(await t.followUps(fresh)).toHaveLength(4);
    expect(await t.proposals(fresh)).toHaveLength(1);
  }, 90_000);

  it('with CONSEQUENCES_FROM=beginning the first worker follows the triggers already in the log', async () => {
    const t = await setUp('cutoff-beginning');
    const old = await t.blackListed();
    const first = await t.worker({ CONSEQUENCES_FROM: 'beginning' });
    expect(first.output()).toContain('consequences follow triggers after position 0');
    expect((await t.cutOffRecords())[0].data).toMatchObject({ position: 0, from: 'beginning' });
    await waitUntil(async () => (await t.proposals(old)).length === 1, 'the old listing’s proposal');
    await first.waitFor('consequences followed');
    expect(await t.followUps(old)).toHaveLength(4);
  }, 60_000);
});
