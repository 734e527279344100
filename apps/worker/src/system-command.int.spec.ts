import { join } from 'node:path';
import pino from 'pino';
import { CommandRunner, issueStream, runSystemCommand, runSystemCommands } from '@duban/application';
import { IssueCommand, issueDecider } from '@duban/domain';
import { deterministicUuid, SqliteEventStore } from '@duban/event-store';
import { tempDir } from '../../../test/support/temp-dir';
import { registerAndAssign } from '../../../test/support/assigned-issue';
import { WORKER_ACTOR } from './worker-context';

/** The one way the worker runs its commands, on a real event store: stale work is done, real errors are not. */
describe('runSystemCommand: a worker command that no longer applies is skipped, not failed', () => {
  const dir = tempDir('duban-system-command-');
  const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
  const runner = new CommandRunner(store);
  const logger = pino({ level: 'silent' });
  const issueId = '11111111-1111-4111-8111-111111111111';
  const at = new Date().toISOString();
  const reminder = (deadlineVersion: number, offset = 'P1D', id = issueId): IssueCommand => ({
    type: 'SendReminder',
    data: { issueId: id, deadlineVersion, offset },
    meta: { at, actor: WORKER_ACTOR },
  });
  const run = (command: IssueCommand) =>
    runSystemCommand(runner, logger, {
      streamId: issueStream(command.data.issueId),
      decider: issueDecider,
      command,
      commandId: deterministicUuid(`test|${JSON.stringify(command.data)}`),
      causationId: 'job-1',
    });

  beforeAll(async () => {
    await registerAndAssign(runner, {
      issueId,
      leadUnitId: '22222222-2222-4222-8222-222222222222',
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
  });
  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('records what applies, as the system actor, under the deterministic command id; a repeat records nothing', async () => {
    const first = await run(reminder(1));
    expect(first).toMatchObject({ status: 'done', events: [{ type: 'ReminderSent' }] });
    const [event] = (await store.readStream(issueStream(issueId))).slice(-1);
    expect(event.metadata).toMatchObject({
      actor: WORKER_ACTOR,
      commandId: deterministicUuid(`test|${JSON.stringify(reminder(1).data)}`),
      causationId: 'job-1',
    });
    const head = await store.headPosition();
    expect(await run(reminder(1))).toMatchObject({ status: 'done', events: [] });
    expect(await store.headPosition()).toBe(head);
  });

  it('a stale step (the deadline moved on) is skipped with the refusal as its reason, and appends nothing', async () => {
    const head = await store.headPosition();
    const outcome = await run(reminder(7));
    expect(outcome).toMatchObject({ status: 'skipped', refusal: { name: 'IllegalTransition' } });
    expect(outcome.status === 'skipped' && outcome.reason.length).toBeGreaterThan(0);
    expect(await store.headPosition()).toBe(head);
  });

  it('a target that is not there is skipped too', async () =>
    expect(await run(reminder(1, 'P1D', '99999999-9999-4999-8999-999999999999'))).toMatchObject({
      status: 'skipped',
      refusal: { name: 'NotFound' },
    }));

  it('a command that is wrong (not stale) still fails, so the job retries and shows it', async () =>
    expect(run(reminder(1, ''))).rejects.toMatchObject({ name: 'InvalidCommand' }));

  describe('runSystemCommands: several commands of one cause in one append', () => {
    const idOf = (command: IssueCommand) => deterministicUuid(`test|${JSON.stringify(command.data)}`);
    const runAll = (commands: IssueCommand[]) =>
      runSystemCommands(runner, logger, {
        streamId: issueStream(issueId),
        decider: issueDecider,
        commands: commands.map((command) => ({ command, commandId: idOf(command) })),
        causationId: 'event-1',
      });

    it('appends what applies in one write, each event with the id and commandId its own command would give it; skips what is stale; a repeat appends nothing', async () => {
      const head = await store.headPosition();
      const commands = [reminder(1, 'P2D'), reminder(7, 'P2D'), reminder(1, 'P3D')];
      const outcomes = await runAll(commands);
      expect(outcomes.map((o) => o.status)).toEqual(['done', 'skipped', 'done']);
      const appended = (await store.readStream(issueStream(issueId))).filter((e) => e.position > head);
      expect(appended.map((e) => e.metadata.commandId)).toEqual([idOf(commands[0]), idOf(commands[2])]);
      expect(appended.map((e) => e.id)).toEqual(
        [commands[0], commands[2]].map((c) => deterministicUuid(`${idOf(c)}|${issueStream(issueId)}|0`)),
      );
      expect(appended.every((e) => e.metadata.causationId === 'event-1')).toBe(true);
      // one append: nothing of anyone else between them
      expect(appended[1].position).toBe(appended[0].position + 1);

      const after = await store.headPosition();
      expect((await runAll(commands)).map((o) => o.status)).toEqual(['done', 'skipped', 'done']);
      expect(await store.headPosition()).toBe(after);
      // the same command run on its own later is a repeat too
      expect(await run(commands[0])).toMatchObject({ status: 'done', events: [] });
    });

    it('a wrong command is returned as refused and the others are still appended', async () => {
      const outcomes = await runAll([reminder(1, ''), reminder(1, 'P4D')]);
      expect(outcomes[0]).toMatchObject({ status: 'refused', error: { name: 'InvalidCommand' } });
      expect(outcomes[1]).toEqual({ status: 'done' });
    });
  });
});
