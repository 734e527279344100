import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { isOpenStatus, type IssueState } from '@duban/domain';
import { IntField } from '../http/fields';
import {
  ApiBearer,
  ApiJson,
  ApiProblems,
  arrayOf,
  COUNTS,
  FREE_OBJECT,
  INSTANT,
  INTEGER,
  nullable,
  NUMBER,
  object,
  TEXT,
} from '../http/openapi';
import { ReadModelService } from '../read-model/read-model.service';
import { unitReportFigures } from '@duban/projections';
import { ListsRepository } from './lists.repository';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { inUnitScope, scopedUnitId } from '../issues/issue-access';

export class ReadModelQueryDto {
  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

const PUBLISHED = object({
  items: arrayOf(
    object({
      issueId: TEXT,
      title: TEXT,
      leadUnitId: nullable(TEXT),
      status: TEXT,
      reason: TEXT,
      listedAt: INSTANT,
      listedBy: FREE_OBJECT,
    }),
  ),
});
const CANDIDATES = arrayOf(object({ issueId: TEXT, title: TEXT, leadUnitId: nullable(TEXT), reason: TEXT }));

const latestVerdict = (s: IssueState) => s.assessments[s.assessments.length - 1]?.verdict ?? null;

/** 回访: the reporter's latest verdict, which outweighs the office's assessment when it is unsatisfied */
const reporterUnsatisfied = (s: IssueState) =>
  s.reporterFeedback?.[s.reporterFeedback.length - 1]?.verdict === 'unsatisfied';

/** 红黑榜: what was published, and what the system proposes with the reason for each. */
@ApiTags('lists')
@ApiBearer()
@Controller()
export class ListsController {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly lists: ListsRepository,
  ) {}

  private states(where = '', ...args: unknown[]): IssueState[] {
    return this.lists.states(where, ...args);
  }

  @Get('lists/red')
  @ApiOperation({ summary: 'The published red list (exemplary cases)' })
  @ApiJson(PUBLISHED)
  @ApiProblems(400, 503)
  red(@Query() query: ReadModelQueryDto) {
    return this.published('red', query);
  }

  @Get('lists/black')
  @ApiOperation({ summary: 'The published black list (foot-dragging cases)' })
  @ApiJson(PUBLISHED)
  @ApiProblems(400, 503)
  black(@Query() query: ReadModelQueryDto) {
    return this.published('black', query);
  }

  private published(list: 'red' | 'black', query: ReadModelQueryDto) {
    return this.lists.published(list, query.minPosition);
  }

  @Get('lists/candidates')
  @ApiOperation({
    summary:
      'Proposed candidates: red = closed on time with 满意; black = escalated to 约谈 (3) or more, or found perfunctory; revisit (回头看) = closed but the reporter is unsatisfied',
  })
  @ApiJson(object({ red: CANDIDATES, black: CANDIDATES, revisit: CANDIDATES }))
  @ApiProblems(400, 503)
  async candidates(@Query() query: ReadModelQueryDto, @CurrentPrincipal() principal: Principal) {
    await this.readModel.ensure(query.minPosition);
    const listed = (s: IssueState, list: 'red' | 'black') => s.lists.some((l) => l.list === list);
    // a unit officer sees the proposals about their own unit's issues only
    const inScope = (s: IssueState) => inUnitScope(principal, s);
    const red = this.states("WHERE status = 'closed'")
      .filter(inScope)
      .filter(
        (s) =>
          s.closedOnTime === true &&
          latestVerdict(s) === 'satisfied' &&
          !reporterUnsatisfied(s) &&
          !listed(s, 'red') &&
          !listed(s, 'black'),
      )
      .map((s) => ({
        issueId: s.id,
        title: s.title,
        leadUnitId: s.leadUnitId,
        reason: 'closed before its deadline with a satisfied (满意) assessment',
      }));
    const black = this.states('WHERE escalation_level >= 3 OR findings > 0')
      .filter(inScope)
      .filter((s) => !listed(s, 'black') && s.status !== 'withdrawn')
      .map((s) => ({
        issueId: s.id,
        title: s.title,
        leadUnitId: s.leadUnitId,
        reason: [
          s.escalationLevel >= 3
            ? `escalated to level ${s.escalationLevel} (${s.escalationLevel === 3 ? '约谈' : '问责'})`
            : null,
          s.findings.length
            ? `found ${s.findings.map((f) => (f.kind === 'falsified' ? 'falsified (弄虚作假)' : 'perfunctory (整改不扎实)')).join(', ')}`
            : null,
        ]
          .filter(Boolean)
          .join('; '),
      }));
    // a red flag: closed, yet the reporter says the problem is not solved
    const revisit = this.states("WHERE status = 'closed' AND last_reporter_verdict = 'unsatisfied'")
      .filter(inScope)
      .map((s) => ({
        issueId: s.id,
        title: s.title,
        leadUnitId: s.leadUnitId,
        reason: 'closed, but the reporter is unsatisfied (回访不满意): a candidate for 回头看',
      }));
    return { red, black, revisit };
  }

  @Get('units/:id/scorecard')
  @ApiOperation({
    summary:
      "A unit's figures: issues led and co-handled, on-time rate, satisfaction, escalations, accountability, findings, reports asked of it (on time, late, missing)",
  })
  @ApiJson(
    object({
      unit: object({ id: TEXT, code: TEXT, name: TEXT }),
      led: INTEGER,
      coHandled: INTEGER,
      open: INTEGER,
      closed: INTEGER,
      onTimeRate: nullable(NUMBER),
      satisfaction: object({ satisfied: INTEGER, basically_satisfied: INTEGER, unsatisfied: INTEGER }),
      satisfactionRate: nullable(NUMBER),
      escalationsByLevel: COUNTS,
      findings: arrayOf(FREE_OBJECT),
      accountability: arrayOf(FREE_OBJECT),
      reports: object({ asked: INTEGER, onTime: INTEGER, late: INTEGER, missing: INTEGER, pending: INTEGER }),
    }),
  )
  @ApiProblems(400, 403, 404, 503)
  async scorecard(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ReadModelQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    // findings and the people named in accountability: a unit officer reads only their own unit's
    scopedUnitId(principal, id);
    await this.readModel.ensure(query.minPosition);
    const unit = this.readModel.db.prepare('SELECT id, code, name FROM units WHERE id = ?').get(id);
    if (!unit) throw new NotFoundException(`no unit ${id}`);
    const rows = this.readModel.db
      .prepare('SELECT u.role, i.state FROM issue_units u JOIN issues i ON i.id = u.issue_id WHERE u.unit_id = ?')
      .all(id) as { role: string; state: string }[];
    const led = rows.filter((r) => r.role === 'lead').map((r) => JSON.parse(r.state) as IssueState);
    const closed = led.filter((s) => s.status === 'closed');
    const verdicts = led.map(latestVerdict).filter((v): v is NonNullable<typeof v> => v !== null);
    const count = (v: string) => verdicts.filter((x) => x === v).length;
    const accountability = this.states('WHERE accountability > 0').flatMap((s) =>
      s.accountability
        .filter((a) => a.target.unitId === id || (a.target.kind === 'person' && s.leadUnitId === id))
        .map((a) => ({ issueId: s.id, ...a })),
    );
    return {
      unit,
      led: led.length,
      coHandled: rows.length - led.length,
      open: led.filter((s) => isOpenStatus(s.status)).length,
      closed: closed.length,
      onTimeRate: closed.length ? closed.filter((s) => s.closedOnTime).length / closed.length : null,
      satisfaction: {
        satisfied: count('satisfied'),
        basically_satisfied: count('basically_satisfied'),
        unsatisfied: count('unsatisfied'),
      },
      satisfactionRate: verdicts.length ? (count('satisfied') + count('basically_satisfied')) / verdicts.length : null,
      escalationsByLevel: Object.fromEntries(
        [1, 2, 3, 4].map((l) => [String(l), led.filter((s) => s.escalationLevel >= l).length]),
      ),
      findings: led.flatMap((s) => s.findings.map((f) => ({ issueId: s.id, ...f }))),
      accountability,
      // 报送: reports asked of the unit, submitted on time or late, missing past their due date, not yet due
      reports: unitReportFigures(this.readModel.db, { unitId: id, now: new Date().toISOString() }).get(id) ?? {
        asked: 0,
        onTime: 0,
        late: 0,
        missing: 0,
        pending: 0,
      },
    };
  }
}
