import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { issueDecider, issueView } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Principal } from '../../auth/principal';
import { CommandRunner } from '@duban/application';
import { issueStream } from '../../application/streams';
import { assertIssueInScope } from '../issue-access';
import { PersonalDataService } from '../../personal-data/personal-data.service';

export interface HistoryEntry {
  id: string;
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  actor: { id: string; role: string; name?: string };
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  schemaVersion: number;
  hash: string;
  data: unknown;
}

export class GetIssueHistoryQuery extends Query<{ events: HistoryEntry[] }> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export function historyEntry(event: RecordedEvent): HistoryEntry {
  const m = event.metadata;
  return {
    id: event.id,
    type: event.type,
    revision: event.revision,
    position: event.position,
    recordedAt: m.recordedAt,
    actor: m.actor,
    correlationId: m.correlationId,
    causationId: m.causationId,
    commandId: m.commandId,
    schemaVersion: m.schemaVersion,
    hash: m.hash,
    data: event.data,
  };
}

@QueryHandler(GetIssueHistoryQuery)
export class GetIssueHistoryQueryHandler implements IQueryHandler<GetIssueHistoryQuery, { events: HistoryEntry[] }> {
  constructor(
    private readonly executor: CommandRunner,
    private readonly personalData: PersonalDataService,
  ) {}

  async execute({ id, principal }: GetIssueHistoryQuery): Promise<{ events: HistoryEntry[] }> {
    const { state, revision, events } = await this.executor.load(issueStream(id), issueDecider);
    assertIssueInScope(principal, issueView(state), revision, id);
    // the reporter as it reads now (PIPL: revealed at render time; erased for good once erased)
    const reporter = await this.personalData.show(id, state.reporter, principal, 'history');
    return {
      events: events.map((event) => {
        const entry = historyEntry(event);
        const data = entry.data as { reporter?: unknown };
        return data && typeof data === 'object' && data.reporter ? { ...entry, data: { ...data, reporter } } : entry;
      }),
    };
  }
}
