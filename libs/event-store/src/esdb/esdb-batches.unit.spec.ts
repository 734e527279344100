import { PassThrough } from 'node:stream';
import { deliverInBatches } from './esdb-batches';

describe('deliverInBatches (the EventStoreDB subscription hands projections batches)', () => {
  it('delivers what is already buffered in one batch, capped at max, each item once and in order', async () => {
    const source = new PassThrough({ objectMode: true });
    for (let i = 1; i <= 7; i++) source.write(i);
    source.end();
    const batches: number[][] = [];
    await deliverInBatches(
      source,
      { max: 3, buffered: () => source.readableLength },
      async (batch) => void batches.push(batch),
    );
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('delivers a live item alone and at once instead of waiting for a batch to fill', async () => {
    const source = new PassThrough({ objectMode: true });
    const batches: number[][] = [];
    const running = deliverInBatches(
      source,
      { max: 100, buffered: () => source.readableLength },
      async (batch) => void batches.push(batch),
    );
    source.write(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    source.write(2);
    source.end();
    await running;
    expect(batches).toEqual([[1], [2]]);
  });

  it("rejects with the stream's error (a dropped subscription is a failure, not an end)", async () => {
    const source = new PassThrough({ objectMode: true });
    const running = deliverInBatches(source, { max: 10, buffered: () => source.readableLength }, async () => undefined);
    source.destroy(new Error('connection reset'));
    await expect(running).rejects.toThrow('connection reset');
  });
});
