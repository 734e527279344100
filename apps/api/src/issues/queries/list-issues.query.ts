import { BadRequestException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IsIn, ValidateIf } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { issueView, IssueState } from '@duban/domain';
import type { Principal } from '../../auth/principal';
import { EnumField, InstantField, IntField, MinPositionField, TextField, UuidField } from '../../http/fields';
import { ReadModelService } from '../../read-model/read-model.service';
import { scopedUnitIds } from '../issue-access';
import { PersonalDataService } from '../../personal-data/personal-data.service';
import { decodeCursor, keysetPage } from '../../http/cursor';
import { ISSUE_KINDS, ISSUE_LIMITS, ISSUE_SOURCES, ISSUE_STATUSES, OPEN_STATUSES } from '@duban/domain';
import { sqlList, statement } from '@duban/projections';

export class ListIssuesQueryDto {
  @EnumField(ISSUE_STATUSES, { required: false })
  status?: string;

  @UuidField({ required: false, description: 'issues the unit leads or co-handles' })
  unitId?: string;

  @EnumField(ISSUE_SOURCES, { required: false })
  source?: string;

  @TextField({ max: 100, required: false })
  category?: string;

  @UuidField({ required: false, description: "a programme's tasks (issues of kind task naming it)" })
  programmeId?: string;

  @EnumField(ISSUE_KINDS, { required: false, description: 'problem 问题, suggestion 意见建议, task 任务' })
  kind?: string;

  @ApiProperty({ required: false, enum: ['true', 'false'], description: '积案: long-standing cases (or not)' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(['true', 'false'], { message: 'backlog must be true or false' })
  backlog?: string;

  @TextField({ max: ISSUE_LIMITS.intakeReference, required: false, description: '信访件号 / 12345 ticket, exactly' })
  reference?: string;

  @UuidField({ required: false, description: '被反映单位: issues about this unit of the directory' })
  accusedUnitId?: string;

  @TextField({
    max: 100,
    required: false,
    description: '被反映单位/人: part of the name of the unit (outside the directory) or person it is about',
  })
  accused?: string;

  @ApiProperty({
    required: false,
    enum: ['true', 'false'],
    description: '领导批转/批示: forwarded by a leader with an instruction (or not)',
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(['true', 'false'], { message: 'forwarded must be true or false' })
  forwarded?: string;

  @ApiProperty({
    required: false,
    enum: ['true', 'false'],
    description: 'deadline passed and no result pending assessment, now',
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: string;

  @IntField({ min: 0, max: 4, required: false, query: true })
  escalationLevel?: number;

  @TextField({
    max: 100,
    min: 3,
    required: false,
    description: 'full text over title and description (3 characters or more; Chinese included)',
    example: '推诿扯皮',
  })
  q?: string;

  @InstantField({ required: false, description: 'registered at or after' })
  registeredFrom?: string;

  @InstantField({ required: false, description: 'registered before' })
  registeredTo?: string;

  @EnumField(['-registeredAt', 'registeredAt'], {
    required: false,
    description: 'newest first (default) or oldest first',
  })
  sort?: '-registeredAt' | 'registeredAt';

  @TextField({ max: 300, required: false, pattern: /^[A-Za-z0-9_-]+$/, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 200, required: false, query: true })
  limit?: number;

  @MinPositionField('wait until the read model has applied this position')
  minPosition?: number;
}

export class ListIssuesQuery extends Query<{ items: unknown[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListIssuesQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

const OPEN = sqlList(OPEN_STATUSES);

/**
 * Newest first is registration order: `issue_rows.seq` numbers issues as the log registered them (the
 * same in every rebuild and on every node), and the full-text index is keyed by it, so a page is the first
 * rows of an index walk that stops at `limit`, never a sort of every match (a word found in 9,000
 * issues costs as much as one found in 50). Keyset paging on seq (the cursor carries the page's last
 * seq and id): pages neither repeat nor skip an issue while new ones are registered, and a cursor reads the
 * same on every node.
 */
@QueryHandler(ListIssuesQuery)
export class ListIssuesQueryHandler implements IQueryHandler<ListIssuesQuery> {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly personalData: PersonalDataService,
  ) {}

  async execute({ params, principal }: ListIssuesQuery) {
    await this.readModel.ensure(params.minPosition);
    const unitIds = scopedUnitIds(principal, params.unitId);
    const now = new Date().toISOString();
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      args.push(...values);
    };
    // with full text, the index's matches drive (in seq order); otherwise the rows or a filter's index do
    const from = params.q ? 'issues_fts f CROSS JOIN issue_rows i ON i.seq = f.rowid' : 'issue_rows i';
    const seq = params.q ? 'f.rowid' : 'i.seq';
    if (params.q) add('issues_fts MATCH ?', `"${params.q.replace(/"/g, '""')}"`);
    if (params.status) add('i.status = ?', params.status);
    if (unitIds) {
      const units = unitIds.map(() => '?').join(', ');
      // issue_units is keyed by unit and seq: SQLite walks the units' seqs in order and stops at the page (matching by
      // id sorted every issue of the units); with full text the matches drive, each looked up before its row is read
      add(
        params.q
          ? `EXISTS (SELECT 1 FROM issue_units u WHERE u.unit_id IN (${units}) AND u.seq = f.rowid)`
          : `i.seq IN (SELECT seq FROM issue_units WHERE unit_id IN (${units}))`,
        ...unitIds,
      );
    }
    if (params.source) add('i.source = ?', params.source);
    if (params.category) add('i.category = ?', params.category);
    if (params.programmeId) add('i.programme_id = ?', params.programmeId);
    if (params.kind) add('i.kind = ?', params.kind);
    if (params.backlog) add('i.backlog = ?', params.backlog === 'true' ? 1 : 0);
    if (params.reference) add('i.reference = ?', params.reference);
    if (params.accusedUnitId) add('i.accused_unit_id = ?', params.accusedUnitId);
    if (params.accused) add('instr(i.accused_text, ?) > 0', params.accused.toLowerCase());
    if (params.forwarded) add('i.forwarded = ?', params.forwarded === 'true' ? 1 : 0);
    if (params.escalationLevel !== undefined) add('i.escalation_level = ?', params.escalationLevel);
    if (params.overdue === 'true') add(`i.status IN ${OPEN} AND i.deadline < ?`, now);
    if (params.overdue === 'false') add(`NOT (i.status IN ${OPEN} AND i.deadline IS NOT NULL AND i.deadline < ?)`, now);
    if (params.registeredFrom) add('i.registered_at >= ?', new Date(params.registeredFrom).toISOString());
    if (params.registeredTo) add('i.registered_at < ?', new Date(params.registeredTo).toISOString());
    const descending = (params.sort ?? '-registeredAt') === '-registeredAt';
    if (params.cursor) {
      const after = Number(decodeCursor(params.cursor)[0]);
      if (!Number.isSafeInteger(after)) throw new BadRequestException('cursor is not one this API issued');
      add(`${seq} ${descending ? '<' : '>'} ?`, after);
    }
    const limit = params.limit ?? 50;
    // a time range (often months in the past) is found on its index and its few rows sorted; `+` keeps the
    // planner from walking every newer row in seq order instead
    const order = !params.q && (params.registeredFrom || params.registeredTo) ? `+${seq}` : seq;
    const db = this.readModel.db;
    // the page is chosen on the narrow rows; only its issues' states are read (a filter can match thousands)
    const rows = statement(
      db,
      `SELECT i.seq, i.revision, i.id FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${order} ${descending ? 'DESC' : 'ASC'} LIMIT ?`,
    ).all(...args, limit + 1) as { seq: number; revision: number; id: string }[];
    const { items: page, nextCursor } = keysetPage(
      rows,
      limit,
      (row) => row,
      (row) => [String(row.seq), row.id],
    );
    // the page's states in one statement
    const states = new Map(
      (
        statement(db, 'SELECT seq, state FROM issue_states WHERE seq IN (SELECT value FROM json_each(?))').all(
          JSON.stringify(page.map((row) => row.seq)),
        ) as { seq: number; state: string }[]
      ).map((row) => [row.seq, row.state]),
    );
    const views = page.map((row) => issueView(JSON.parse(states.get(row.seq)!) as IssueState, now));
    const show = await this.personalData.shower(
      views.map((v) => v.reporter),
      principal,
      'list',
    );
    const items = views.map((view, i) => ({
      ...view,
      reporter: show(view.id ?? '', view.reporter),
      revision: page[i].revision,
    }));
    await show.flush();
    return { items, nextCursor };
  }
}
