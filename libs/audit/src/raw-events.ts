import type { RawEventLog, StoredEvent } from '@duban/event-store';

export const PAGE_SIZE = 10_000;

/** Pages through `$all` up to `toPosition` (the head when the run started, so a live store gives a fixed end). */
export async function* pages(
  log: RawEventLog,
  options: { fromPosition?: number; toPosition?: number; pageSize?: number } = {},
): AsyncGenerator<StoredEvent[]> {
  const to = options.toPosition ?? (await log.head());
  let from = options.fromPosition ?? 0;
  while (from < to) {
    const page = await log.page(from, options.pageSize ?? PAGE_SIZE);
    const upTo = page.filter((e) => e.position <= to);
    if (upTo.length === 0) return;
    yield upTo;
    // a page is read synchronously from SQLite: let other work (HTTP requests, appends) in between pages
    await new Promise((resolve) => setImmediate(resolve));
    from = upTo[upTo.length - 1].position;
    if (upTo.length < page.length) return;
  }
}
