import { createContext, useContext } from 'react';
import {
  ACCOUNTABILITY_MEASURE_LABELS,
  ASSIGNMENT_MODE_LABELS,
  ISSUE_SOURCE_LABELS,
  ISSUE_STATUS_LABELS,
  LIST_KIND_LABELS,
  PRIORITY_LABELS,
  VERDICT_LABELS,
  type Label,
} from '../../../libs/domain/src/issue/issue.vocabulary';
import { meta } from './api';

export type Lang = 'zh' | 'en';

const WORDS = {
  title: ['督办驾驶舱', 'Supervision console'],
  skip: ['跳到主要内容', 'Skip to main content'],
  dashboard: ['驾驶舱', 'Dashboard'],
  issues: ['问题台账', 'Issues'],
  ledgers: ['三本账', 'Ledgers'],
  audit: ['审计', 'Audit'],
  appraisals: ['民主评议', 'Appraisals'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  language: ['语言', 'Language'],
  switchLang: ['English', '中文'],
  token: ['访问令牌（Bearer JWT）', 'Access token (bearer JWT)'],
  tokenHelp: ['粘贴 npm run token 生成的令牌', 'Paste a token, e.g. from npm run token'],
  devPicker: ['开发环境：选择角色登录', 'Development: sign in as a role'],
  role: ['角色', 'Role'],
  unit: ['单位', 'Unit'],
  allUnits: ['全部单位', 'All units'],
  signInAs: ['以此角色登录', 'Sign in as this role'],
  loading: ['加载中…', 'Loading…'],
  total: ['问题总数', 'Issues'],
  assigned: ['已交办', 'Assigned'],
  overdue: ['逾期未办结', 'Overdue'],
  onTimeRate: ['按期办结率', 'On-time rate'],
  satisfaction: ['满意率', 'Satisfaction'],
  closed: ['已销号', 'Closed'],
  funnel: ['办理状态漏斗', 'Issues by status'],
  bySource: ['问题来源', 'By source'],
  overdueByUnit: ['逾期问题单位排名（前20）', 'Overdue by unit (top 20)'],
  monthly: ['月度登记与销号', 'Registered vs closed by month'],
  escalations: ['升级督办层级', 'Escalations by level'],
  registered: ['登记', 'Registered'],
  redList: ['红榜', 'Red list'],
  blackList: ['黑榜', 'Black list'],
  none: ['暂无', 'None'],
  unitDashboard: ['本单位驾驶舱', "My unit's dashboard"],
  filters: ['筛选', 'Filters'],
  status: ['状态', 'Status'],
  source: ['来源', 'Source'],
  search: ['全文检索', 'Full-text search'],
  searchHelp: ['至少3个字，例如：推诿扯皮', '3 characters or more, e.g. 推诿扯皮'],
  overdueOnly: ['仅看逾期', 'Overdue only'],
  apply: ['查询', 'Search'],
  more: ['加载更多', 'Load more'],
  titleCol: ['标题', 'Title'],
  leadUnit: ['牵头单位', 'Lead unit'],
  deadline: ['期限', 'Deadline'],
  level: ['督办层级', 'Escalation'],
  registeredAt: ['登记时间', 'Registered'],
  noIssues: ['没有符合条件的问题', 'No issues match'],
  currentState: ['当前状态', 'Current state'],
  timeline: ['办理时间线', 'Timeline'],
  asOf: ['时间回溯：查看某一时刻的状态', 'Time travel: the state as of an instant'],
  asOfAt: ['回溯到', 'As of'],
  stateAsOf: ['该时刻状态', 'State at that instant'],
  latest: ['回到最新', 'Back to now'],
  actions: ['可办理事项', 'Actions'],
  submit: ['提交', 'Submit'],
  done: ['已提交，事件已追加', 'Done: the event was appended'],
  who: ['办理人', 'Who'],
  when: ['时间', 'When'],
  what: ['事项', 'What'],
  reason: ['理由/说明', 'Reason'],
  description: ['问题描述', 'Description'],
  category: ['类别', 'Category'],
  responsible: ['责任人', 'Responsible person'],
  download: ['下载', 'Download'],
  problems: ['问题账', 'Problem ledger'],
  responsibilities: ['责任账', 'Responsibility ledger'],
  rectifications: ['整改账', 'Rectification ledger'],
  verify: ['校验日志完整性', 'Verify the log'],
  verifying: ['校验中', 'Verifying'],
  verifyOk: ['校验通过：ok', 'Verified: ok'],
  verifyBroken: ['发现篡改', 'Tampering found'],
  firstBreak: ['首个断点', 'First break'],
  digests: ['签名摘要', 'Signed digests'],
  signature: ['签名状态', 'Signature'],
  exportLog: ['导出完整日志（NDJSON）', 'Export the log (NDJSON)'],
  campaign: ['评议活动', 'Campaign'],
  campaignId: ['评议活动编号', 'Campaign id'],
  show: ['查看', 'Show'],
  score: ['得分', 'Score'],
  bottom: ['末位', 'Bottom'],
  exempt: ['免评单位', 'Exempt units'],
  ranking: ['评议结果排名', 'Ranking'],
  notAllowed: ['当前角色无权查看此页', 'Your role may not see this page'],
  notFound: ['未找到', 'Not found'],
  events: ['事件', 'events'],
  position: ['位置', 'Position'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
} as const;

export type Word = keyof typeof WORDS;

const EVENT_LABELS: Record<string, Label> = {
  IssueRegistered: { zh: '登记', en: 'Registered' },
  IssueTriaged: { zh: '研判', en: 'Triaged' },
  IssueAssigned: { zh: '交办', en: 'Assigned' },
  IssueReassigned: { zh: '改派', en: 'Reassigned' },
  PlanSubmitted: { zh: '提交整改方案', en: 'Plan submitted' },
  ProgressReported: { zh: '报送进度', en: 'Progress reported' },
  ExtensionRequested: { zh: '申请延期', en: 'Extension requested' },
  ExtensionApproved: { zh: '同意延期', en: 'Extension approved' },
  ExtensionRejected: { zh: '不同意延期', en: 'Extension rejected' },
  ResultReported: { zh: '上报整改结果', en: 'Result reported' },
  ResultAssessed: { zh: '整改评议', en: 'Result assessed' },
  IssueClosed: { zh: '销号', en: 'Closed' },
  IssueWithdrawn: { zh: '撤销', en: 'Withdrawn' },
  IssueEscalated: { zh: '升级督办', en: 'Escalated' },
  AccountabilityRecorded: { zh: '责任追究', en: 'Accountability recorded' },
  IssueListed: { zh: '列入红黑榜', en: 'Listed' },
  ReminderSent: { zh: '到期提醒', en: 'Reminder sent' },
  IssueReopened: { zh: '重新整改', en: 'Reopened' },
  TimeLimitOrdered: { zh: '责令限期整改', en: 'Time limit ordered' },
  AccountabilityProposed: { zh: '建议追责', en: 'Accountability proposed' },
  DeadlineRederived: { zh: '期限重算', en: 'Deadline recomputed' },
  ExtensionRequestLapsed: { zh: '延期申请失效', en: 'Extension request lapsed' },
  FindingRecorded: { zh: '记录核查发现', en: 'Finding recorded' },
  IssueResolvedOnSpot: { zh: '立行立改办结', en: 'Resolved on the spot' },
  ProgressReminderSent: { zh: '进度催报', en: 'Progress reminder' },
  ProgressRequested: { zh: '要求报送进度', en: 'Progress requested' },
  ProposalApproved: { zh: '同意建议', en: 'Proposal approved' },
  ProposalRejected: { zh: '不同意建议', en: 'Proposal rejected' },
  ReporterErased: { zh: '删除举报人信息', en: 'Reporter erased' },
  ReporterFeedbackRecorded: { zh: '回访', en: 'Reporter feedback' },
};

const ROLE_LABELS: Record<string, Label> = {
  registrar: { zh: '督查室', en: 'Registrar' },
  unit_officer: { zh: '责任单位', en: 'Unit officer' },
  assessor: { zh: '评议组', en: 'Assessor' },
  supervisor: { zh: '监督员', en: 'Supervisor' },
  auditor: { zh: '审计', en: 'Auditor' },
  admin: { zh: '管理员', en: 'Admin' },
  system: { zh: '系统', en: 'System' },
  worker: { zh: '系统', en: 'System' },
};

export const VOCAB = {
  status: ISSUE_STATUS_LABELS as Record<string, Label>,
  source: ISSUE_SOURCE_LABELS as Record<string, Label>,
  verdict: VERDICT_LABELS as Record<string, Label>,
  priority: PRIORITY_LABELS as Record<string, Label>,
  mode: ASSIGNMENT_MODE_LABELS as Record<string, Label>,
  measure: ACCOUNTABILITY_MEASURE_LABELS as Record<string, Label>,
  list: LIST_KIND_LABELS as Record<string, Label>,
  event: EVENT_LABELS,
  role: ROLE_LABELS,
};

export const STATUS_ORDER = Object.keys(ISSUE_STATUS_LABELS);
export const SOURCE_ORDER = Object.keys(ISSUE_SOURCE_LABELS);

/** The agency's time zone (TZ_AGENCY), written into the page by the API that serves it. */
export const TZ = meta('duban-tz', 'Asia/Shanghai');

export interface I18n {
  lang: Lang;
  t: (word: Word) => string;
  label: (kind: keyof typeof VOCAB, key: string) => string;
  date: (iso: string | null | undefined, withTime?: boolean) => string;
  percent: (rate: number | null | undefined) => string;
}

export function i18n(lang: Lang): I18n {
  const i = lang === 'zh' ? 0 : 1;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const full = new Intl.DateTimeFormat(locale, {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const day = new Intl.DateTimeFormat(locale, { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    lang,
    t: (word) => WORDS[word][i],
    label: (kind, key) => VOCAB[kind][key]?.[lang] ?? key,
    date: (iso, withTime = true) => (iso ? (withTime ? full : day).format(new Date(iso)) : '—'),
    percent: (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`),
  };
}

export const I18nContext = createContext<I18n>(i18n('zh'));
export const useI18n = () => useContext(I18nContext);

/** The UTC offset (ms) of the agency's zone at an instant. */
function offsetAt(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TZ,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - ms;
}

/** A wall-clock time typed in a datetime-local field, read in the agency's zone (TZ_AGENCY), as an ISO instant. */
export function agencyInstant(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first)).toISOString();
}

/** An instant as the value of a datetime-local field, in the agency's zone. */
export function agencyLocal(iso: string): string {
  const ms = new Date(iso).getTime();
  return new Date(ms + offsetAt(ms)).toISOString().slice(0, 16);
}
