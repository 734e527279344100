/**
 * The one contract every EventStore adapter must honour. Each adapter's spec calls
 * `describeEventStoreContract` with a factory; the same assertions run against SQLite and
 * EventStoreDB. Stream ids are unique per test so the suite also runs against a shared server.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, RecordedEvent } from '../event-store.port';
import { InvalidAppend, WrongExpectedVersion } from '../errors';
import { eventHashFromJson, GENESIS_HASH, recomputeHash } from '../envelope';
import { rawEventLog } from '../capabilities.port';

export interface ContractHarness {
  store: EventStore;
  /** closes the store and removes what the test made */
  dispose(): Promise<void>;
}

const actor = { id: 'user-1', role: 'registrar' };

export function anEvent(
  type = 'TestEvent',
  data: unknown = { n: 1 },
  extra: Partial<EventToAppend> = {},
): EventToAppend {
  return { type, data, metadata: { actor, correlationId: randomUUID(), commandId: randomUUID() }, ...extra };
}

export function describeEventStoreContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const stream = () => `test-${randomUUID()}`;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });
    afterEach(async () => harness.dispose());

    describe('expected revision', () => {
      it('no_stream creates a stream and answers revision 0 and a position', async () => {
        const s = stream();
        const result = await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        expect(result.revision).toBe(0);
        expect(result.position).toBeGreaterThan(0);
        expect(await store.streamInfo(s)).toEqual({ exists: true, revision: 0 });
      });

      it('no_stream on an existing stream is a WrongExpectedVersion', async () => {
        const s = stream();
        await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        await expect(store.append(s, [anEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedVersion,
        );
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const s = stream();
        await expect(store.append(s, [anEvent()], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedVersion,
        );
        await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        await expect(store.append(s, [anEvent()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
          revision: 1,
        });
      });

      it('an exact revision must equal the last revision', async () => {
        const s = stream();
        await store.append(s, [anEvent(), anEvent()], { expectedRevision: 'no_stream' });
        await expect(store.append(s, [anEvent()], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedVersion,
        );
        await expect(store.append(s, [anEvent()], { expectedRevision: 2 })).rejects.toBeInstanceOf(
          WrongExpectedVersion,
        );
        await expect(store.append(s, [anEvent()], { expectedRevision: 1 })).resolves.toMatchObject({ revision: 2 });
      });

      it('any appends whatever the revision', async () => {
        const s = stream();
        await store.append(s, [anEvent()], { expectedRevision: 'any' });
        await expect(store.append(s, [anEvent()], { expectedRevision: 'any' })).resolves.toMatchObject({ revision: 1 });
      });

      it('WrongExpectedVersion names the stream and the actual revision', async () => {
        const s = stream();
        await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        const error = await store.append(s, [anEvent()], { expectedRevision: 5 }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId: s, expected: 5, actual: 0 });
      });

      it('of two concurrent appends with the same expected revision exactly one wins', async () => {
        const s = stream();
        await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(s, [anEvent()], { expectedRevision: 0 })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedVersion);
        expect((await store.streamInfo(s)).revision).toBe(1);
      });

      it('a refused append in a busy moment does not disturb the appends around it', async () => {
        const a = stream();
        const b = stream();
        const [ra, bad, rb] = await Promise.allSettled([
          store.append(a, [anEvent()], { expectedRevision: 'no_stream' }),
          store.append(b, [anEvent()], { expectedRevision: 3 }),
          store.append(b, [anEvent()], { expectedRevision: 'no_stream' }),
        ]);
        expect(ra.status).toBe('fulfilled');
        expect(bad.status).toBe('rejected');
        expect(rb.status).toBe('fulfilled');
        expect(await store.readStream(b)).toHaveLength(1);
      });

      it('a retried append with the same event ids is idempotent', async () => {
        const s = stream();
        const events = [anEvent('A', { n: 1 }, { id: randomUUID() }), anEvent('B', { n: 2 }, { id: randomUUID() })];
        const first = await store.append(s, events, { expectedRevision: 'no_stream' });
        const again = await store.append(s, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('reading streams', () => {
      it('a missing stream reads as empty and does not exist', async () => {
        const s = stream();
        expect(await store.readStream(s)).toEqual([]);
        expect(await store.streamInfo(s)).toEqual({ exists: false, revision: -1 });
      });

      it('reads forwards and backwards with from and limit', async () => {
        const s = stream();
        await store.append(
          s,
          [0, 1, 2, 3, 4].map((n) => anEvent('N', { n })),
          { expectedRevision: 'no_stream' },
        );
        const ns = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(ns(await store.readStream(s))).toEqual([0, 1, 2, 3, 4]);
        expect(ns(await store.readStream(s, { fromRevision: 2, maxCount: 2 }))).toEqual([2, 3]);
        expect(ns(await store.readStream(s, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(ns(await store.readStream(s, { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual([3, 2]);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('keeps the envelope: id, type, data, metadata and a verifiable hash chain', async () => {
        const s = stream();
        const id = randomUUID();
        const correlationId = randomUUID();
        await store.append(
          s,
          [
            {
              id,
              type: 'IssueRegistered',
              data: { title: 'x' },
              metadata: {
                actor,
                correlationId,
                causationId: 'c-1',
                commandId: 'cmd-1',
                recordedAt: '2026-01-02T03:04:05.000Z',
                schemaVersion: 2,
              },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
        await store.append(s, [anEvent()], { expectedRevision: 0 });
        const [first, second] = await store.readStream(s);
        expect(first).toMatchObject({ id, streamId: s, type: 'IssueRegistered', revision: 0, data: { title: 'x' } });
        expect(first.metadata).toMatchObject({
          actor,
          correlationId,
          causationId: 'c-1',
          commandId: 'cmd-1',
          recordedAt: '2026-01-02T03:04:05.000Z',
          schemaVersion: 2,
          prevHash: GENESIS_HASH,
        });
        expect(first.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(recomputeHash(first)).toBe(first.metadata.hash);
        expect(second.metadata.prevHash).toBe(first.metadata.hash);
        expect(recomputeHash(second)).toBe(second.metadata.hash);
        expect(second.metadata.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      });

      it('derives deterministic event ids from the command id', async () => {
        const s = stream();
        const commandId = randomUUID();
        const e = (n: number): EventToAppend => ({
          type: 'N',
          data: { n },
          metadata: { actor, correlationId: 'c', commandId },
        });
        const first = await store.append(s, [e(1), e(2)], { expectedRevision: 'no_stream' });
        const again = await store.append(s, [e(1), e(2)], { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        const ids = (await store.readStream(s)).map((x) => x.id);
        expect(new Set(ids).size).toBe(2);
      });

      it('round-trips unicode and a 1 MB payload', async () => {
        const s = stream();
        const text = '督办：限期整改，销号备案 ✅ — 𠮷野家 \u0000 "quoted" \\ back';
        const big = 'x'.repeat(1024 * 1024);
        await store.append(s, [anEvent('Unicode', { text }), anEvent('Big', { big })], {
          expectedRevision: 'no_stream',
        });
        const [u, b] = await store.readStream(s);
        expect(u.data).toEqual({ text });
        expect((b.data as { big: string }).big).toHaveLength(1024 * 1024);
        expect(recomputeHash(b)).toBe(b.metadata.hash);
      });
    });

    describe('malformed appends are refused with a clear error', () => {
      // deliberately malformed arguments, so they are typed as what a careless caller might pass
      const cases: [string, () => [unknown, unknown, unknown]][] = [
        ['an empty stream id', () => ['', [anEvent()], { expectedRevision: 'any' }]],
        ['a system stream id', () => ['$all', [anEvent()], { expectedRevision: 'any' }]],
        ['no events', () => [stream(), [], { expectedRevision: 'any' }]],
        [
          'an event without type',
          () => [stream(), [{ data: {}, metadata: { actor, correlationId: 'c' } }], { expectedRevision: 'any' }],
        ],
        ['a $-prefixed type', () => [stream(), [anEvent('$metadata')], { expectedRevision: 'any' }]],
        ['an event without metadata', () => [stream(), [{ type: 'T', data: {} }], { expectedRevision: 'any' }]],
        [
          'an actor without role',
          () => [
            stream(),
            [{ type: 'T', data: {}, metadata: { actor: { id: 'u' }, correlationId: 'c' } }],
            { expectedRevision: 'any' },
          ],
        ],
        ['a non-UUID id', () => [stream(), [anEvent('T', {}, { id: 'nope' })], { expectedRevision: 'any' }]],
        ['non-JSON data', () => [stream(), [anEvent('T', { n: 10n })], { expectedRevision: 'any' }]],
        ['a bad expected revision', () => [stream(), [anEvent()], { expectedRevision: -3 }]],
      ];
      it.each(cases)('%s', async (_label, args) => {
        const append = store.append.bind(store) as (...malformed: unknown[]) => Promise<unknown>;
        const error: unknown = await append(...args()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidAppend);
        expect((error as InvalidAppend).message.length).toBeGreaterThan(10);
      });
    });

    describe('$all', () => {
      it('orders events by commit and reads from an exclusive position', async () => {
        const start = await store.headPosition();
        const a = stream();
        const b = stream();
        const r1 = await store.append(a, [anEvent('A1'), anEvent('A2')], { expectedRevision: 'no_stream' });
        const r2 = await store.append(b, [anEvent('B1')], { expectedRevision: 'no_stream' });
        const r3 = await store.append(a, [anEvent('A3')], { expectedRevision: 1 });
        expect(r1.position).toBeLessThan(r2.position);
        expect(r2.position).toBeLessThan(r3.position);
        const all = (await store.readAll({ fromPosition: start })).filter((e) => e.streamId === a || e.streamId === b);
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        const fromB = await store.readAll({ fromPosition: r1.position, maxCount: 1 });
        expect(fromB[0].streamId).toBe(b);
        expect(await store.headPosition()).toBe(r3.position);
      });

      it('never hands out system events', async () => {
        const start = await store.headPosition();
        const s = stream();
        await store.append(s, [anEvent('Real1'), anEvent('Real2')], { expectedRevision: 'no_stream' });
        // system-like appends: the port refuses them; an adapter that let one through must still never hand it out
        const systemLike: [string, EventToAppend][] = [
          [`$${stream()}`, anEvent('SystemLike')],
          [stream(), anEvent('$SystemLike')],
          [`$$${s}`, anEvent('$metadata', { $maxCount: 1 })],
        ];
        for (const [streamId, event] of systemLike) {
          const refusal = await store.append(streamId, [event], { expectedRevision: 'any' }).then(
            () => undefined,
            (error: unknown) => error,
          );
          if (refusal !== undefined) expect(refusal).toBeInstanceOf(InvalidAppend);
        }
        await store.append(s, [anEvent('Real3')], { expectedRevision: 1 });
        const events = await store.readAll({ fromPosition: start, maxCount: 1000 });
        expect(events.filter((e) => e.streamId === s).map((e) => e.type)).toEqual(['Real1', 'Real2', 'Real3']);
        expect(events.filter((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).toEqual([]);
      });
    });

    describe('the raw log (capabilities.rawLog)', () => {
      it('reads pages and streams in the stored form, whose hashes recompute', async () => {
        const rawLog = rawEventLog(store);
        const start = await store.headPosition();
        const s = stream();
        await store.append(s, [anEvent('R1', { z: 1, a: '督办' }), anEvent('R2')], { expectedRevision: 'no_stream' });
        const page = (await rawLog.page(start, 1000)).filter((e) => e.streamId === s);
        expect(page.map((e) => [e.type, e.revision])).toEqual([
          ['R1', 0],
          ['R2', 1],
        ]);
        for (const e of page) expect(eventHashFromJson(e.prevHash, e)).toBe(e.hash);
        expect(page[0].prevHash).toBe(GENESIS_HASH);
        expect(page[1].prevHash).toBe(page[0].hash);
        expect(await rawLog.stream(s)).toEqual(page);
        expect(await rawLog.head()).toBe(await store.headPosition());
      });
    });

    describe('subscription to $all', () => {
      it('catches up, then goes live under concurrent writers with no gap and no duplicate', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 8 }, stream);
        const mine = new Set(streams);
        // some history before subscribing
        for (const s of streams) await store.append(s, [anEvent('Before')], { expectedRevision: 'no_stream' });
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ fromPosition: start, batchSize: 3 }, (events) => {
          for (const e of events) if (mine.has(e.streamId)) seen.push(e);
        });
        // concurrent writers while it catches up and after
        const writers = streams.map(async (s) => {
          for (let i = 1; i <= 15; i++) await store.append(s, [anEvent('Live', { i })], { expectedRevision: i - 1 });
        });
        await subscription.caughtUp;
        await Promise.all(writers);
        const expected = streams.length * 16;
        const deadline = Date.now() + 10_000;
        while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await subscription.stop();
        expect(seen).toHaveLength(expected);
        const positions = seen.map((e) => e.position);
        expect(new Set(positions).size).toBe(expected);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        for (const s of streams) {
          expect(seen.filter((e) => e.streamId === s).map((e) => e.revision)).toEqual(
            Array.from({ length: 16 }, (_, i) => i),
          );
        }
      });

      it('resumes after a checkpoint without repeating it', async () => {
        const s = stream();
        await store.append(s, [anEvent('One'), anEvent('Two'), anEvent('Three')], { expectedRevision: 'no_stream' });
        const [one] = await store.readStream(s);
        const seen: string[] = [];
        const subscription = store.subscribeToAll({ fromPosition: one.position }, (events) => {
          for (const e of events) if (e.streamId === s) seen.push(e.type);
        });
        await subscription.caughtUp;
        await subscription.stop();
        expect(seen).toEqual(['Two', 'Three']);
      });

      it('stops at a failing handler and reports it', async () => {
        const s = stream();
        await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ fromPosition: 0 }, () => {
          throw new Error('projection failed');
        });
        await expect(subscription.done).rejects.toThrow('projection failed');
      });
    });

    it('answers a health probe', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
