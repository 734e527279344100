import { existsSync, renameSync, rmSync } from 'node:fs';
import { issueStream, unitStream } from '@duban/application';
import { CommandActor, issueDecider, IssueCommand, IssueState, unitDecider } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { generatedMetadata, LogEvent } from './log-writer';

/** issues in flight at once: consecutive events belong to different issues, as in a live office */
const IN_FLIGHT = 2_000;
/** one event every 30 s of the log's own time, from 2025-01-01 */
const STEP_MS = 30_000;
const ADMIN: CommandActor = { id: 'admin-1', role: 'admin' };

export const iso = (ms: number) => new Date(ms).toISOString();

/** One command of an issue's story; the issue's id is added when it is decided. */
export interface IssueStep {
  type: IssueCommand['type'];
  data: Record<string, unknown>;
  actor: CommandActor;
}

/** An issue's story: `step(i, at, state)` is its i-th command at `at` (ms), given the issue's state so far. */
export interface IssueStory {
  issueId: string;
  length: number;
  step(i: number, at: number, state: IssueState): IssueStep;
}

/**
 * What the benchmarks' generated logs share: the log's clock and positions, its units, and issues whose stories are
 * told interleaved, every event decided by the domain's own deciders. Logs are deterministic (same ids, times and
 * hashes on every run), so two runs measure the same data.
 */
export class StoryLog {
  position = 0;
  clock = Date.parse('2025-01-01T00:00:00Z');

  /** The events as the log's next positions, at the log's clock. */
  emit(streamId: string, events: { type: string; data: unknown }[], actor: CommandActor): LogEvent[] {
    return events.map((e) => ({
      streamId,
      type: e.type,
      data: e.data,
      metadata: generatedMetadata(++this.position, actor, iso(this.clock)),
    }));
  }

  /** Each unit created by the administrator, at the log's start. */
  *units(units: { unitId: string; code: string; name: string; parentId?: string }[]): Generator<LogEvent> {
    for (const data of units) {
      const events = unitDecider.decide(
        { type: 'CreateUnit', data, meta: { at: iso(this.clock), actor: ADMIN } } as never,
        unitDecider.initialState(),
      );
      yield* this.emit(unitStream(data.unitId), events, ADMIN);
    }
  }

  /** Stories told until the log holds `count` events, IN_FLIGHT at a time, one step each in turn; `start` begins the next. */
  *stories(count: number, start: () => IssueStory): Generator<LogEvent> {
    const begin = () => ({ story: start(), next: 0, state: issueDecider.initialState() });
    const flights = Array.from({ length: IN_FLIGHT }, begin);
    for (let i = 0; this.position < count; i = (i + 1) % IN_FLIGHT) {
      const flight = flights[i];
      this.clock += STEP_MS;
      const step = flight.story.step(flight.next++, this.clock, flight.state);
      const events = issueDecider.decide(
        {
          type: step.type,
          data: { issueId: flight.story.issueId, ...step.data },
          meta: { at: iso(this.clock), actor: step.actor },
        } as IssueCommand,
        flight.state,
      );
      for (const event of events) flight.state = issueDecider.evolve(flight.state, event);
      yield* this.emit(issueStream(flight.story.issueId), events, step.actor);
      if (flight.next === flight.story.length) flights[i] = begin();
    }
  }
}

/**
 * A generated log kept in the temp dir between runs: `write` fills an empty store (and says what it wrote, for the
 * message) the first time; later runs reuse the file. One partial file per process: two benchmarks started at once
 * may both generate the same log.
 */
export async function cachedLog(file: string, write: (store: SqliteEventStore) => string): Promise<string> {
  if (existsSync(file)) return file;
  const partial = `${file}.${process.pid}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const store = new SqliteEventStore({ file: partial });
  const what = write(store);
  store.database.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  renameSync(partial, file);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  process.stdout.write(`  generated ${what} into ${file}\n`);
  return file;
}
