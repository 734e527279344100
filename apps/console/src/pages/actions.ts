import type { IssueView } from '../api';

/** The issue commands the console offers, per role (the API decides; a refusal shows its problem details). */
export interface Field {
  name: string;
  label: [string, string];
  kind: 'text' | 'textarea' | 'select' | 'datetime' | 'number' | 'unit' | 'request';
  options?: { vocab?: 'priority' | 'mode' | 'verdict' | 'list' | 'measure'; values: string[] };
  required?: boolean;
  min?: number;
  max?: number;
  initial?: string;
}

export interface Action {
  key: string;
  label: [string, string];
  roles: string[];
  /** where it fits; shown open there, folded elsewhere (and still tryable: the API explains a refusal) */
  statuses: string[];
  path: (values: Record<string, string>) => string;
  fields: Field[];
  body: (values: Record<string, string>, issue: IssueView, instant: (local: string) => string) => unknown;
}

const OPEN = ['assigned', 'in_progress', 'reopened'];
const opt = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

export const ACTIONS: Action[] = [
  {
    key: 'triage',
    label: ['研判', 'Triage'],
    roles: ['registrar'],
    statuses: ['registered'],
    path: () => '/triage',
    fields: [
      {
        name: 'priority',
        label: ['优先级', 'Priority'],
        kind: 'select',
        options: { vocab: 'priority', values: ['normal', 'high', 'urgent'] },
      },
      { name: 'note', label: ['研判意见', 'Note'], kind: 'text' },
    ],
    body: (v) => ({ priority: v.priority || 'normal', note: opt(v.note) }),
  },
  {
    key: 'assign',
    label: ['交办', 'Assign'],
    roles: ['registrar'],
    statuses: ['registered', 'triaged'],
    path: () => '/assign',
    fields: [
      { name: 'leadUnitId', label: ['牵头单位', 'Lead unit'], kind: 'unit', required: true },
      { name: 'person', label: ['责任人', 'Responsible person'], kind: 'text', required: true },
      { name: 'deadline', label: ['整改期限', 'Deadline'], kind: 'datetime', required: true },
      {
        name: 'mode',
        label: ['交办方式', 'Mode'],
        kind: 'select',
        options: { vocab: 'mode', values: ['counterpart', 'leader', 'joint'] },
      },
      { name: 'instructions', label: ['交办要求', 'Instructions'], kind: 'textarea' },
    ],
    body: (v, _i, instant) => ({
      leadUnitId: v.leadUnitId,
      responsiblePerson: { name: v.person },
      deadline: v.deadline ? instant(v.deadline) : undefined,
      mode: v.mode || 'counterpart',
      instructions: opt(v.instructions),
    }),
  },
  {
    key: 'plan',
    label: ['提交整改方案', 'Submit a plan'],
    roles: ['unit_officer'],
    statuses: ['assigned'],
    path: () => '/plan',
    fields: [
      { name: 'description', label: ['整改措施', 'Measure'], kind: 'textarea', required: true },
      { name: 'owner', label: ['责任人', 'Owner'], kind: 'text', required: true },
      { name: 'dueDate', label: ['完成时限', 'Due'], kind: 'datetime', required: true },
    ],
    body: (v, _i, instant) => ({
      measures: [{ description: v.description, owner: v.owner, dueDate: instant(v.dueDate) }],
    }),
  },
  {
    key: 'progress',
    label: ['报送进度', 'Report progress'],
    roles: ['unit_officer'],
    statuses: ['in_progress', 'reopened'],
    path: () => '/progress',
    fields: [
      { name: 'text', label: ['进展情况', 'Progress'], kind: 'textarea', required: true },
      { name: 'percent', label: ['完成比例（%）', 'Percent done'], kind: 'number', min: 0, max: 100 },
    ],
    body: (v) => ({
      text: v.text,
      percent: v.percent === '' || v.percent === undefined ? undefined : Number(v.percent),
    }),
  },
  {
    key: 'extension',
    label: ['申请延期', 'Request an extension'],
    roles: ['unit_officer'],
    statuses: OPEN,
    path: () => '/extension-requests',
    fields: [
      { name: 'newDeadline', label: ['申请延至', 'New deadline'], kind: 'datetime', required: true },
      { name: 'reason', label: ['延期理由', 'Reason'], kind: 'textarea', required: true },
    ],
    body: (v, _i, instant) => ({ newDeadline: instant(v.newDeadline), reason: v.reason }),
  },
  {
    key: 'result',
    label: ['上报整改结果', 'Report the result'],
    roles: ['unit_officer'],
    statuses: ['assigned', 'in_progress', 'reopened'],
    path: () => '/result',
    fields: [{ name: 'summary', label: ['整改结果', 'Summary'], kind: 'textarea', required: true }],
    body: (v) => ({ summary: v.summary }),
  },
  {
    key: 'assess',
    label: ['整改评议', 'Assess the result'],
    roles: ['assessor'],
    statuses: ['result_reported'],
    path: () => '/assessments',
    fields: [
      {
        name: 'verdict',
        label: ['评议结论', 'Verdict'],
        kind: 'select',
        options: { vocab: 'verdict', values: ['satisfied', 'basically_satisfied', 'unsatisfied'] },
      },
      { name: 'comment', label: ['评议意见', 'Comment'], kind: 'textarea' },
      { name: 'newDeadline', label: ['不满意时的新期限', 'New deadline (when unsatisfied)'], kind: 'datetime' },
    ],
    body: (v, _i, instant) => ({
      verdict: v.verdict || 'satisfied',
      comment: opt(v.comment),
      newDeadline: v.newDeadline ? instant(v.newDeadline) : undefined,
    }),
  },
  {
    key: 'decide-extension',
    label: ['审批延期申请', 'Decide an extension request'],
    roles: ['registrar'],
    statuses: OPEN,
    path: (v) => `/extension-requests/${encodeURIComponent(v.requestId ?? '')}/decision`,
    fields: [
      { name: 'requestId', label: ['延期申请', 'Request'], kind: 'request', required: true },
      { name: 'approved', label: ['是否同意', 'Approve'], kind: 'select', options: { values: ['true', 'false'] } },
      { name: 'note', label: ['审批意见', 'Note'], kind: 'text' },
    ],
    body: (v) => ({ approved: (v.approved || 'true') === 'true', note: opt(v.note) }),
  },
  {
    key: 'close',
    label: ['销号', 'Close (销号)'],
    roles: ['registrar'],
    statuses: ['accepted'],
    path: () => '/close',
    fields: [{ name: 'note', label: ['销号说明', 'Note'], kind: 'text' }],
    body: (v) => ({ note: opt(v.note) }),
  },
  {
    key: 'escalate',
    label: ['升级督办', 'Escalate'],
    roles: ['registrar'],
    statuses: OPEN,
    path: () => '/escalations',
    fields: [
      { name: 'level', label: ['督办层级（1–4）', 'Level (1–4)'], kind: 'number', min: 1, max: 4, required: true },
      { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea', required: true },
    ],
    body: (v) => ({ level: Number(v.level), reason: v.reason }),
  },
  {
    key: 'accountability',
    label: ['责任追究', 'Record accountability'],
    roles: ['registrar'],
    statuses: [...OPEN, 'closed'],
    path: () => '/accountability',
    fields: [
      {
        name: 'measure',
        label: ['追责方式', 'Measure'],
        kind: 'select',
        options: { vocab: 'measure', values: ['criticism_notice', 'summons', 'admonishment', 'disciplinary_referral'] },
      },
      { name: 'name', label: ['被追责人', 'Person'], kind: 'text', required: true },
      { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea', required: true },
    ],
    body: (v, issue) => ({
      measure: v.measure || 'criticism_notice',
      target: { kind: 'person', name: v.name, ...(issue.leadUnitId ? { unitId: issue.leadUnitId } : {}) },
      reason: v.reason,
    }),
  },
  {
    key: 'list',
    label: ['列入红黑榜', 'Put on a list'],
    roles: ['registrar'],
    statuses: [...OPEN, 'closed'],
    path: () => '/lists',
    fields: [
      { name: 'list', label: ['榜单', 'List'], kind: 'select', options: { vocab: 'list', values: ['red', 'black'] } },
      { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea', required: true },
    ],
    body: (v) => ({ list: v.list || 'red', reason: v.reason }),
  },
  {
    key: 'withdraw',
    label: ['撤销', 'Withdraw'],
    roles: ['registrar'],
    statuses: ['registered', 'triaged'],
    path: () => '/withdraw',
    fields: [{ name: 'reason', label: ['撤销理由', 'Reason'], kind: 'textarea', required: true }],
    body: (v) => ({ reason: v.reason }),
  },
];
