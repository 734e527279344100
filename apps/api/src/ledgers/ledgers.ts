import {
  ACCOUNTABILITY_MEASURE_LABELS,
  ASSIGNMENT_MODE_LABELS,
  BOOLEAN_LABELS,
  ISSUE_KIND_LABELS,
  ISSUE_SOURCE_LABELS,
  ISSUE_STATUS_LABELS,
  issueView,
  IssueState,
  PRIORITY_LABELS,
  RESOLUTION_LABELS,
  VERDICT_LABELS,
  type Label,
} from '@duban/domain';

export type LedgerLanguage = 'zh' | 'en';

/** One column of a ledger: its key in JSON, its Chinese and English headers in CSV and XLSX, its width in XLSX. */
interface Column {
  key: string;
  zh: string;
  en: string;
  /** characters; by default wide enough for the header */
  width?: number;
  /** the column holds codes of the vocabulary (JSON keeps them; CSV and XLSX show these labels) */
  labels?: Readonly<Record<string, Label>>;
  /** the codes are joined with LIST_SEPARATOR */
  list?: boolean;
}

const LIST_SEPARATOR = '；';

export interface LedgerDefinition {
  /** the worksheet's name */
  sheet: { zh: string; en: string };
  columns: Column[];
  row(
    state: IssueState,
    unitNames: Map<string, string>,
    now: string,
    /** the reporter cell (PIPL: revealed at render time; withheld or erased as the caller may read it) */
    reporterCell: (state: IssueState) => string | null,
  ): Record<string, unknown>;
}

/** A row in one language for CSV and XLSX: every code of the vocabulary and every yes/no as a label of `lang`. */
export function labelledRow(
  ledger: LedgerDefinition,
  row: Record<string, unknown>,
  lang: LedgerLanguage,
): Record<string, unknown> {
  const labelled: Record<string, unknown> = { ...row };
  for (const column of ledger.columns) {
    const value = row[column.key];
    if (typeof value === 'boolean') labelled[column.key] = BOOLEAN_LABELS[`${value}`][lang];
    else if (column.labels && typeof value === 'string' && value !== '') {
      const label = (code: string) => column.labels![code]?.[lang] ?? code;
      labelled[column.key] = column.list ? value.split(LIST_SEPARATOR).map(label).join(LIST_SEPARATOR) : label(value);
    }
  }
  return labelled;
}

/** What a reporter cell says when the caller may not see who reported (JSON), and in each language's ledger. */
export const WITHHELD_REPORTER = '(保密 confidential)';
/** PIPL erasure: the reporter's personal data was destroyed */
export const ERASED_REPORTER = '(已删除 erased)';
const WITHHELD_REPORTER_LABELS = {
  [WITHHELD_REPORTER]: { zh: '（保密）', en: '(confidential)' },
  [ERASED_REPORTER]: { zh: '（个人信息已删除）', en: '(personal data erased)' },
};

const name = (units: Map<string, string>, id: string | null) => (id ? (units.get(id) ?? id) : null);
const latest = <T>(xs: T[]): T | null => xs[xs.length - 1] ?? null;

export const LEDGER_NAMES = ['problems', 'responsibilities', 'rectifications'] as const;
export type LedgerName = (typeof LEDGER_NAMES)[number];

/** The three ledgers of 三账问效 (DESIGN.md §2.2): one row per issue each. */
export const LEDGERS: Record<LedgerName, LedgerDefinition> = {
  // 问题账: every issue, its source, category and facts
  problems: {
    sheet: { zh: '问题账', en: 'Problems' },
    columns: [
      { key: 'id', zh: '问题编号', en: 'Issue id', width: 38 },
      { key: 'registeredAt', zh: '登记时间', en: 'Registered at', width: 26 },
      { key: 'source', zh: '问题来源', en: 'Source', width: 18, labels: ISSUE_SOURCE_LABELS },
      { key: 'kind', zh: '类型', en: 'Kind', labels: ISSUE_KIND_LABELS },
      { key: 'reference', zh: '信访件号', en: 'Reference', width: 20 },
      { key: 'category', zh: '问题类别', en: 'Category' },
      { key: 'title', zh: '问题标题', en: 'Title', width: 36 },
      { key: 'description', zh: '问题描述', en: 'Description', width: 60 },
      { key: 'location', zh: '地点', en: 'Location', width: 28 },
      { key: 'priority', zh: '优先级', en: 'Priority', labels: PRIORITY_LABELS },
      { key: 'reporter', zh: '反映人', en: 'Reporter', width: 18, labels: WITHHELD_REPORTER_LABELS },
      { key: 'accused', zh: '被反映单位/人', en: 'About (unit/person)', width: 24 },
      { key: 'forwardedBy', zh: '领导批示', en: "Leader's instruction", width: 36 },
      { key: 'backlog', zh: '积案', en: 'Backlog case' },
      { key: 'status', zh: '当前状态', en: 'Status', width: 16, labels: ISSUE_STATUS_LABELS },
    ],
    row: (s, units, _now, reporterCell) => ({
      id: s.id,
      registeredAt: s.registeredAt,
      source: s.source,
      kind: s.kind ?? 'problem',
      reference: s.reference ?? null,
      category: s.category,
      title: s.title,
      description: s.description,
      location: s.location,
      priority: s.priority,
      reporter: reporterCell(s),
      accused: s.accused
        ? [s.accused.name ?? name(units, s.accused.unitId ?? null), s.accused.person].filter(Boolean).join(' ')
        : null,
      forwardedBy: s.forwardedBy
        ? `${[s.forwardedBy.name, s.forwardedBy.title].filter(Boolean).join(' ')}：${s.forwardedBy.instruction}`
        : null,
      backlog: s.backlog ?? false,
      status: s.status,
    }),
  },
  // 责任账: lead unit, co-units, responsible person, committed deadline
  responsibilities: {
    sheet: { zh: '责任账', en: 'Responsibilities' },
    columns: [
      { key: 'id', zh: '问题编号', en: 'Issue id', width: 38 },
      { key: 'title', zh: '问题标题', en: 'Title', width: 36 },
      { key: 'leadUnit', zh: '牵头单位', en: 'Lead unit', width: 24 },
      { key: 'coUnits', zh: '协办单位', en: 'Co-units', width: 30 },
      { key: 'responsibleUnits', zh: '责任单位', en: 'Responsible units', width: 30 },
      { key: 'responsiblePerson', zh: '责任人', en: 'Responsible person', width: 20 },
      { key: 'mode', zh: '交办方式', en: 'Assignment mode', labels: ASSIGNMENT_MODE_LABELS },
      { key: 'assignedAt', zh: '交办时间', en: 'Assigned at', width: 26 },
      { key: 'deadline', zh: '整改时限', en: 'Deadline', width: 26 },
      { key: 'deadlineVersion', zh: '时限版本', en: 'Deadline version' },
      {
        key: 'deadlineProvisionalYears',
        zh: '按未公布假日安排计算的年份',
        en: 'Years counted without a published holiday schedule',
      },
      { key: 'overdue', zh: '是否逾期', en: 'Overdue' },
      { key: 'escalationLevel', zh: '督办等级', en: 'Escalation level' },
      { key: 'partnerAgencies', zh: '联合交办单位', en: 'Partner agencies', width: 30 },
      { key: 'meeting', zh: '交办会', en: 'Assignment meeting', width: 40 },
    ],
    row: (s, units, now) => ({
      id: s.id,
      title: s.title,
      leadUnit: name(units, s.leadUnitId),
      coUnits: s.coUnitIds.map((id) => name(units, id)).join('；'),
      responsibleUnits: (s.responsibleUnitIds ?? []).map((id) => name(units, id)).join('；'),
      responsiblePerson: s.responsiblePerson
        ? [s.responsiblePerson.name, s.responsiblePerson.title].filter(Boolean).join(' ')
        : null,
      mode: s.mode,
      assignedAt: s.assignedAt,
      deadline: s.deadline,
      deadlineVersion: s.deadlineVersion,
      // a working-day deadline counted through a year whose schedule was not yet published (statutory days only)
      deadlineProvisionalYears: (s.deadlineProvisionalYears ?? []).join('；'),
      overdue: issueView(s, now).overdue,
      escalationLevel: s.escalationLevel,
      partnerAgencies: (s.partnerAgencies ?? []).join('；'),
      // 交办会: the day, the meeting's name and who presided (主持)
      meeting: s.assignmentBatch
        ? [
            s.assignmentBatch.meeting.date,
            s.assignmentBatch.meeting.name,
            [s.assignmentBatch.meeting.presidedBy.title, s.assignmentBatch.meeting.presidedBy.name]
              .filter(Boolean)
              .join(''),
          ]
            .filter(Boolean)
            .join(' ')
        : null,
    }),
  },
  // 整改账: result, assessments, closure (销号), accountability
  rectifications: {
    sheet: { zh: '整改账', en: 'Rectifications' },
    columns: [
      { key: 'id', zh: '问题编号', en: 'Issue id', width: 38 },
      { key: 'title', zh: '问题标题', en: 'Title', width: 36 },
      { key: 'leadUnit', zh: '牵头单位', en: 'Lead unit', width: 24 },
      { key: 'status', zh: '当前状态', en: 'Status', width: 16, labels: ISSUE_STATUS_LABELS },
      { key: 'resultReportedAt', zh: '上报整改结果时间', en: 'Result reported at', width: 26 },
      { key: 'result', zh: '整改结果', en: 'Result', width: 50 },
      { key: 'verdict', zh: '评议结果', en: 'Assessment', labels: VERDICT_LABELS },
      { key: 'assessments', zh: '评议次数', en: 'Assessments' },
      { key: 'closedAt', zh: '销号时间', en: 'Closed at', width: 26 },
      { key: 'resolution', zh: '办结方式', en: 'Resolution', labels: RESOLUTION_LABELS },
      { key: 'closedOnTime', zh: '按期办结', en: 'Closed on time' },
      { key: 'findings', zh: '整改不实认定', en: 'Findings of perfunctory rectification' },
      {
        key: 'accountability',
        zh: '责任追究',
        en: 'Accountability measures',
        width: 36,
        labels: ACCOUNTABILITY_MEASURE_LABELS,
        list: true,
      },
    ],
    row: (s, units) => {
      const result = latest(s.results);
      return {
        id: s.id,
        title: s.title,
        leadUnit: name(units, s.leadUnitId),
        status: s.status,
        resultReportedAt: result?.reportedAt ?? null,
        result: result?.summary ?? s.onSpot?.summary ?? null,
        verdict: latest(s.assessments)?.verdict ?? null,
        assessments: s.assessments.length,
        closedAt: s.closedAt,
        resolution: s.resolution ?? null,
        closedOnTime: s.closedOnTime,
        findings: s.findings.length,
        accountability: s.accountability.map((a) => a.measure).join(LIST_SEPARATOR),
      };
    },
  },
};
