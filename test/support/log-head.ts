import { EVENT_STORE, EventStore } from '@duban/event-store';
import type { TestApi } from './api';

/** The global log's head position: "nothing appended" is measured here, on the whole log, never on one stream. */
export function logHead(api: TestApi): Promise<number> {
  return api.app.get<EventStore>(EVENT_STORE).headPosition();
}
