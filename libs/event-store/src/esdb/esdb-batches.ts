/**
 * Hands a live stream's items to `deliver` in batches: whatever is already buffered (up to `max`) goes in
 * one call, so a catch-up applies thousands of events per transaction while a live event still goes out
 * alone and at once. Each batch is delivered before the next item is read.
 */
export async function deliverInBatches<T>(
  source: AsyncIterable<T>,
  options: { max: number; /** items still waiting in the underlying stream */ buffered: () => number },
  deliver: (batch: T[]) => Promise<void>,
): Promise<void> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= options.max || options.buffered() === 0) {
      const full = batch;
      batch = [];
      await deliver(full);
    }
  }
  if (batch.length) await deliver(batch);
}
