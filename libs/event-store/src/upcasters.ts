import type { RecordedEvent } from './event-store.port';

/**
 * One upcaster per (event type, schema version): it turns data of that version into the next
 * version's shape. Old events are upcast on read, never rewritten (the hash covers the stored form).
 */
export type Upcaster = (data: any, event: RecordedEvent) => any;

export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  /** registers the step from `fromVersion` to `fromVersion + 1` */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    let steps = this.byType.get(type);
    if (!steps) this.byType.set(type, (steps = new Map()));
    if (steps.has(fromVersion)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    steps.set(fromVersion, upcast);
    return this;
  }

  upcast(event: RecordedEvent): RecordedEvent {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let version = event.metadata.schemaVersion;
    let data = event.data;
    for (let step = steps.get(version); step; step = steps.get(version)) {
      data = step(data, event);
      version += 1;
    }
    if (version === event.metadata.schemaVersion) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
