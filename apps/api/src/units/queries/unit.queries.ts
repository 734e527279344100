import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { unitDecider, unitView } from '@duban/domain';
import { CommandRunner } from '@duban/application';
import { unitStream } from '../../application/streams';
import { InstantField, IntField, MinPositionField, TextField } from '../../http/fields';
import { HistoryEntry, historyEntry } from '../../issues/queries/get-issue-history.query';
import { ReadModelService } from '../../read-model/read-model.service';
import { unitFromRow, UnitRow } from '@duban/projections';
import type { Principal } from '../../auth/principal';

const REDACTED = '[redacted]';

/** A webhook URL usually embeds its robot's token: only admins (who set it) read it back; others see that one is set. */
function withoutWebhookSecret<T>(holder: T, principal: Principal): T {
  const contacts = (holder as { contacts?: { webhookUrl?: unknown } } | null)?.contacts;
  if (principal.roles.includes('admin') || !contacts || typeof contacts !== 'object' || !contacts.webhookUrl)
    return holder;
  return { ...holder, contacts: { ...contacts, webhookUrl: REDACTED } };
}

export type UnitAnswer = ReturnType<typeof unitView> & { revision: number };

export class GetUnitQuery extends Query<UnitAnswer> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
    readonly asOf?: string,
  ) {
    super();
  }
}

export class UnitAsOfQueryDto {
  @InstantField({ required: false, example: '2026-11-01T00:00:00Z', description: 'as it stood at this instant' })
  asOf?: string;
}

const notFound = (id: string, asOf?: string) =>
  new NotFoundException(asOf ? `unit ${id} did not exist at ${asOf}` : `no unit ${id}`);

/** Folded from the unit's stream: exact, no read-model lag, and at any past instant. */
@QueryHandler(GetUnitQuery)
export class GetUnitQueryHandler implements IQueryHandler<GetUnitQuery, UnitAnswer> {
  constructor(private readonly executor: CommandRunner) {}
  async execute({ id, principal, asOf }: GetUnitQuery): Promise<UnitAnswer> {
    const { state, revision } = await this.executor.load(unitStream(id), unitDecider, asOf);
    if (revision < 0) throw notFound(id, asOf);
    return withoutWebhookSecret({ ...unitView(state), revision }, principal);
  }
}

export class GetUnitHistoryQuery extends Query<{ events: HistoryEntry[] }> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
    readonly asOf?: string,
  ) {
    super();
  }
}

/** The unit's events with actor and time, like an issue's history (directory data: every role reads it). */
@QueryHandler(GetUnitHistoryQuery)
export class GetUnitHistoryQueryHandler implements IQueryHandler<GetUnitHistoryQuery, { events: HistoryEntry[] }> {
  constructor(private readonly executor: CommandRunner) {}
  async execute({ id, principal, asOf }: GetUnitHistoryQuery): Promise<{ events: HistoryEntry[] }> {
    const { revision, events } = await this.executor.load(unitStream(id), unitDecider, asOf);
    if (revision < 0) throw notFound(id, asOf);
    return {
      events: events
        .map(historyEntry)
        .map((entry) => ({ ...entry, data: withoutWebhookSecret(entry.data, principal) })),
    };
  }
}

export class ListUnitsQueryDto {
  @TextField({
    max: 50,
    required: false,
    description: "units whose code is after this one (the previous page's nextCursor)",
  })
  cursor?: string;

  @IntField({ min: 1, max: 1000, required: false, example: 100, query: true })
  limit?: number;

  @TextField({ max: 100, required: false, description: 'filter: code or name contains' })
  q?: string;

  @MinPositionField()
  minPosition?: number;
}

export class ListUnitsQuery extends Query<{ items: ReturnType<typeof unitFromRow>[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListUnitsQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(ListUnitsQuery)
export class ListUnitsQueryHandler implements IQueryHandler<ListUnitsQuery> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ params, principal }: ListUnitsQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 100;
    const like = params.q ? `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows = this.readModel.db
      .prepare(
        `SELECT * FROM units WHERE code > ? AND (? IS NULL OR code LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY code LIMIT ?`,
      )
      .all(params.cursor ?? '', like, like, like, limit + 1) as UnitRow[];
    const page = rows.slice(0, limit).map((row) => withoutWebhookSecret(unitFromRow(row), principal));
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].code : null };
  }
}
