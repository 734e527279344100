import type { RecordedEvent } from './event-store.port';

/**
 * One upcaster per (event type, schema version): it turns data of that version into the next
 * version's shape. Old events are upcast on read, never rewritten (the hash covers the stored form).
 * A step names the shape it reads (`(data: { text: string }) => …`): the log is its only source.
 */
export type Upcaster<From = unknown, To = unknown> = (data: From, event: RecordedEvent) => To;

export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  /** registers the step from `fromVersion` to `fromVersion + 1` */
  register<From>(type: string, fromVersion: number, upcast: Upcaster<From>): this {
    let steps = this.byType.get(type);
    if (!steps) this.byType.set(type, (steps = new Map()));
    if (steps.has(fromVersion)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    // the stored data of `fromVersion` is the shape the step declares it reads
    steps.set(fromVersion, upcast as Upcaster);
    return this;
  }

  upcast(event: RecordedEvent): RecordedEvent {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let version = event.metadata.schemaVersion;
    let data: unknown = event.data;
    for (let step = steps.get(version); step; step = steps.get(version)) {
      data = step(data, event);
      version += 1;
    }
    if (version === event.metadata.schemaVersion) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
