import { isSystemRecord, positionOf, probeByReading, resumeFrom, revisionNumber, toRecorded } from './esdb-mapping';

describe('EventStoreDB record mapping', () => {
  const record = {
    streamId: 'issue-1',
    id: '0b0e2c9a-1111-4111-8111-111111111111',
    revision: 3n,
    type: 'IssueAssigned',
    data: { leadUnitId: 'u' },
    metadata: {
      actor: { id: 'a', role: 'registrar' },
      correlationId: 'c',
      causationId: null,
      commandId: 'k',
      recordedAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
      prevHash: 'p',
      hash: 'h',
    },
    position: { commit: 900n, prepare: 870n },
  };

  it('maps the envelope, the revision and the prepare position', () => {
    expect(toRecorded(record)).toEqual({
      id: record.id,
      streamId: 'issue-1',
      type: 'IssueAssigned',
      revision: 3,
      position: 870,
      data: { leadUnitId: 'u' },
      metadata: record.metadata,
    });
    expect(positionOf(record)).toBe(870);
  });

  it('resumes from a numeric checkpoint, or the start', () => {
    expect(resumeFrom(0)).toBe('start');
    expect(resumeFrom(870)).toEqual({ commit: 870n, prepare: 870n });
  });

  it('recognises system events and streams', () => {
    expect(isSystemRecord({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemRecord({ streamId: 'issue-1', type: '$metadata' })).toBe(true);
    expect(isSystemRecord({ streamId: 'issue-1', type: 'IssueAssigned' })).toBe(false);
  });

  it('reads a current revision ("no_stream" or a bigint) as a number', () => {
    expect(revisionNumber('no_stream')).toBe(-1);
    expect(revisionNumber(7n)).toBe(7);
  });

  it('refuses a record without a position', () => {
    expect(() => positionOf({})).toThrow(/without a log position/);
  });
});

describe('the EventStoreDB health probe', () => {
  it('reads the last record of the log and never appends (an appended probe would break the hash chain in $all)', async () => {
    const calls: unknown[] = [];
    const client = {
      readAll(options: unknown) {
        calls.push(options);
        return (async function* () {
          yield { event: { type: 'IssueRegistered' } };
          yield { event: { type: 'never read' } };
        })();
      },
      appendToStream() {
        throw new Error('the probe appended');
      },
    };
    await probeByReading(client);
    expect(calls).toEqual([{ fromPosition: 'end', direction: 'backwards', maxCount: 1 }]);
  });

  it('fails when the server does not answer the read', async () => {
    const client = {
      readAll() {
        return (async function* () {
          yield* [];
          throw new Error('14 UNAVAILABLE: No connection established');
        })();
      },
    };
    await expect(probeByReading(client)).rejects.toThrow('UNAVAILABLE');
  });
});
