import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { unitDecider, unitView } from '@duban/domain';
import { CommandExecutor } from '../../application/command-executor';
import { unitStream } from '../../application/streams';
import { IntField, TextField } from '../../http/fields';
import { ReadModelService } from '../../read-model/read-model.service';
import { unitFromRow, UnitRow } from '../../read-model/units.projection';

export type UnitAnswer = ReturnType<typeof unitView> & { revision: number };

export class GetUnitQuery extends Query<UnitAnswer> {
  constructor(readonly id: string) {
    super();
  }
}

/** Folded from the unit's stream: exact, no read-model lag. */
@QueryHandler(GetUnitQuery)
export class GetUnitQueryHandler implements IQueryHandler<GetUnitQuery, UnitAnswer> {
  constructor(private readonly executor: CommandExecutor) {}
  async execute({ id }: GetUnitQuery): Promise<UnitAnswer> {
    const { state, revision } = await this.executor.load(unitStream(id), unitDecider);
    if (revision < 0) throw new NotFoundException(`no unit ${id}`);
    return { ...unitView(state), revision };
  }
}

export class ListUnitsQueryDto {
  @TextField({ max: 50, required: false, description: 'units whose code is after this one (the previous page\'s nextCursor)' })
  cursor?: string;

  @IntField({ min: 1, max: 1000, required: false, example: 100, query: true })
  limit?: number;

  @TextField({ max: 100, required: false, description: 'filter: code or name contains' })
  q?: string;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true, description: 'wait until the read model has applied this position (read-your-writes)' })
  minPosition?: number;
}

export class ListUnitsQuery extends Query<{ items: ReturnType<typeof unitFromRow>[]; nextCursor: string | null }> {
  constructor(readonly params: ListUnitsQueryDto) {
    super();
  }
}

@QueryHandler(ListUnitsQuery)
export class ListUnitsQueryHandler implements IQueryHandler<ListUnitsQuery> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ params }: ListUnitsQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 100;
    const like = params.q ? `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows = this.readModel.db
      .prepare(
        `SELECT * FROM units WHERE code > ? AND (? IS NULL OR code LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\') ORDER BY code LIMIT ?`,
      )
      .all(params.cursor ?? '', like, like, like, limit + 1) as UnitRow[];
    const page = rows.slice(0, limit).map(unitFromRow);
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].code : null };
  }
}
