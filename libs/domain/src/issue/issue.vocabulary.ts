/**
 * The words of the issue domain (DESIGN.md §2.1 and §7). These spellings are part of the public
 * contract: they appear in request bodies, events and read models.
 */

export const ISSUE_SOURCES = [
  'hotline',
  'petition',
  'inspection',
  'undercover_visit',
  'supervision_team',
  'public_appraisal',
  'audit',
  'self_inspection',
  'online',
  'media',
  'survey',
] as const;
/** 举报电话, 信访件, 明察, 暗访, 督导组反馈, 民主评议, 审计, 自查, 网络, 舆论监督/新闻曝光, 民意调查 */
export type IssueSource = (typeof ISSUE_SOURCES)[number];

export const ISSUE_STATUSES = [
  'registered',
  'triaged',
  'assigned',
  'in_progress',
  'result_reported',
  'accepted',
  'reopened',
  'closed',
  'withdrawn',
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** A unit is working on the issue and its deadline runs: reminders, escalations and extension requests apply. */
export const OPEN_STATUSES = ['assigned', 'in_progress', 'reopened'] as const satisfies readonly IssueStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export const isOpenStatus = (status: string): status is OpenStatus =>
  (OPEN_STATUSES as readonly string[]).includes(status);

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** 一把手集中交办, 对口交办, 联合交办 */
export const ASSIGNMENT_MODES = ['leader', 'counterpart', 'joint'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** 满意, 基本满意, 不满意 */
export const VERDICTS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** 回访: how the office reached the reporter (电话, 短信, 信函, 上门) */
export const FEEDBACK_CHANNELS = ['phone', 'sms', 'letter', 'visit'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** 评议方式: 走访, 暗访, 查阅资料, 电话调查 */
export const ASSESSMENT_METHODS = ['visit', 'undercover_visit', 'document_review', 'phone_survey'] as const;
export type AssessmentMethod = (typeof ASSESSMENT_METHODS)[number];

/** 整改不扎实不到位 (perfunctory), 弄虚作假 (falsified) */
export const FINDING_KINDS = ['perfunctory', 'falsified'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** 通报批评, 约谈, 诫勉谈话, 移交纪检, 提醒谈话, 组织调整/组织处理, 取消当年评优提拔资格 */
export const ACCOUNTABILITY_MEASURES = [
  'criticism_notice',
  'summons',
  'admonishment',
  'disciplinary_referral',
  'reminder_talk',
  'organisational_adjustment',
  'honours_disqualification',
] as const;
export type AccountabilityMeasure = (typeof ACCOUNTABILITY_MEASURES)[number];

/** 问题 (a problem), 意见建议 (a suggestion gathered from the public), 任务 (a key task of a programme) */
export const ISSUE_KINDS = ['problem', 'suggestion', 'task'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

/** 被反映单位/人: whom the issue is about (a unit of the directory, or a name outside it, and a person) */
export interface Accused {
  unitId?: string;
  name?: string;
  person?: string;
}

/** 领导批转/批示: a leader forwarded the issue with an instruction */
export interface ForwardedBy {
  name: string;
  title?: string;
  instruction: string;
}

/** How an issue came to be closed: rectified by a unit and accepted (销号), or resolved on the spot (立行立改) */
export const RESOLUTIONS = ['rectified', 'on_spot'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** 交办会: the meeting at which a batch of issues was assigned (`date` is the meeting's calendar day, YYYY-MM-DD) */
export interface AssignmentMeeting {
  date: string;
  name?: string;
  presidedBy: Person;
}

/** An assignment made at a meeting (交办会): the batch it belonged to and the meeting */
export interface AssignmentBatchRef {
  batchId: string;
  meeting: AssignmentMeeting;
}

/** 红榜 (exemplary), 黑榜 (foot-dragging) */
export const LIST_KINDS = ['red', 'black'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** A proposal (e.g. 责任追究, 约谈) awaits a person's decision; an approved one becomes an accountability record. */
export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/**
 * The size limits of the public contract: the HTTP layer validates request bodies against these, and
 * the decider reads the ones that are business rules (working days, escalation levels, percentages).
 * Text limits are maximum lengths in characters; list limits are maximum item counts.
 */
export const ISSUE_LIMITS = {
  category: 100,
  title: 200,
  description: 10_000,
  location: 500,
  reporterName: 100,
  reporterPhone: 30,
  reporterContact: 300,
  reporterIdNumber: 30,
  /** attachments and evidence: how many references, and how long each */
  references: 50,
  reference: 500,
  coUnits: 50,
  instructions: 5000,
  /** a deadline given as working days from the assignment */
  deadlineWorkingDays: { min: 1, max: 365 },
  /** triage, close and extension decision notes; the reason of a withdrawal, listing, escalation … */
  note: 2000,
  reason: 2000,
  /** an assessment's comment and a finding's note */
  comment: 5000,
  progressText: 10_000,
  percent: { min: 0, max: 100 },
  resultSummary: 10_000,
  measures: { min: 1, max: 100 },
  measureDescription: 2000,
  measureOwner: 100,
  escalationLevel: { min: 1, max: 4 },
  /** 信访件号 / 12345 ticket number */
  intakeReference: 100,
  instruction: 2000,
  /** an assessment's panel (评议组): how many names */
  panel: 20,
  /** 联合交办: the partner agencies (信访局, 考核办, 审计局 …) an assignment names, and a name's length */
  partnerAgencies: 20,
  partnerAgency: 100,
  /** 交办会: the items of one assignment batch (more is refused whole with 413) and a meeting's name */
  batchItems: 1000,
  meetingName: 200,
} as const;

/** A person named on an issue or a unit (责任人, 单位负责人). */
export const PERSON_LIMITS = { name: 100, title: 100 } as const;

/** The escalation ladder; 0 means not escalated. */
export const ESCALATION_LEVELS = {
  1: 'supervision notice (督办)',
  2: 'key supervision (重点督办)',
  3: 'summons talk with the unit head (约谈)',
  4: 'accountability referral (问责)',
} as const;
export type EscalationLevel = 1 | 2 | 3 | 4;

/**
 * A reporter as events of earlier versions recorded them: the identity in clear. Still replayed; it cannot
 * be crypto-shredded (see the README, Personal data).
 */
export interface PlainReporter {
  name: string;
  phone?: string;
  /** only registrars and admins may see a confidential reporter's identity (enforced by the API) */
  confidential?: boolean;
}

/**
 * The reporter's personal fields (name, phone, contact, id number) sealed by the application before the
 * command (AES-256-GCM under the reporter's own data key, `keyId`): opaque to the domain.
 */
export interface SealedPersonalData {
  alg: string;
  keyId: string;
  nonce: string;
  ciphertext: string;
}

export interface SealedReporter {
  reporterId: string;
  confidential?: boolean;
  sealed: SealedPersonalData;
}

/** After erasure (crypto-shredding): who it was can no longer be read, only that there was a reporter. */
export interface ErasedReporter {
  reporterId: string;
  keyId: string;
  confidential: boolean;
  erased: true;
  erasedAt: string;
}

export type Reporter = PlainReporter | SealedReporter | ErasedReporter;

export const isSealedReporter = (r: Reporter | null | undefined): r is SealedReporter =>
  !!r && 'sealed' in r && typeof r.sealed === 'object' && r.sealed !== null;
export const isErasedReporter = (r: Reporter | null | undefined): r is ErasedReporter =>
  !!r && 'erased' in r && r.erased === true;

/** 举报人保护: a reporter of these sources is confidential unless the registration says otherwise. */
export const CONFIDENTIAL_BY_DEFAULT_SOURCES: readonly IssueSource[] = ['hotline', 'petition', 'online'];

export interface Person {
  name: string;
  title?: string;
}

/** One line of a rectification plan (整改任务书、时间表). */
export interface Measure {
  description: string;
  owner: string;
  /** a date (`YYYY-MM-DD`) or an ISO instant */
  dueDate: string;
}

/** Who accountability is recorded against. */
export const ACCOUNTABILITY_TARGET_KINDS = ['person', 'unit'] as const;
export type AccountabilityTargetKind = (typeof ACCOUNTABILITY_TARGET_KINDS)[number];

export interface AccountabilityTarget {
  kind: AccountabilityTargetKind;
  /** required for a person */
  name?: string;
  /** required for a unit; may also name a person's unit */
  unitId?: string;
  /** 主要负责人: the person is the unit's principal leader */
  principal?: boolean;
}

/** A word of the vocabulary as a person reads it: Chinese for the office's ledgers, English beside it. */
export interface Label {
  zh: string;
  en: string;
}

export const ISSUE_SOURCE_LABELS: Record<IssueSource, Label> = {
  hotline: { zh: '举报电话', en: 'Hotline' },
  petition: { zh: '信访件', en: 'Petition' },
  inspection: { zh: '明察', en: 'Open inspection' },
  undercover_visit: { zh: '暗访', en: 'Undercover visit' },
  supervision_team: { zh: '督导组反馈', en: 'Supervision team' },
  public_appraisal: { zh: '民主评议', en: 'Public appraisal' },
  audit: { zh: '审计', en: 'Audit' },
  self_inspection: { zh: '自查', en: 'Self-inspection' },
  online: { zh: '网络', en: 'Online' },
  media: { zh: '舆论监督', en: 'Media' },
  survey: { zh: '民意调查', en: 'Opinion survey' },
};

export const ISSUE_STATUS_LABELS: Record<IssueStatus, Label> = {
  registered: { zh: '已登记', en: 'Registered' },
  triaged: { zh: '已研判', en: 'Triaged' },
  assigned: { zh: '已交办', en: 'Assigned' },
  in_progress: { zh: '整改中', en: 'In progress' },
  result_reported: { zh: '已上报整改结果', en: 'Result reported' },
  accepted: { zh: '评议通过待销号', en: 'Accepted' },
  reopened: { zh: '重新整改', en: 'Reopened' },
  closed: { zh: '已销号', en: 'Closed' },
  withdrawn: { zh: '已撤销', en: 'Withdrawn' },
};

export const PRIORITY_LABELS: Record<Priority, Label> = {
  normal: { zh: '一般', en: 'Normal' },
  high: { zh: '较高', en: 'High' },
  urgent: { zh: '紧急', en: 'Urgent' },
};

export const ASSIGNMENT_MODE_LABELS: Record<AssignmentMode, Label> = {
  leader: { zh: '一把手集中交办', en: 'By the head' },
  counterpart: { zh: '对口交办', en: 'To the counterpart' },
  joint: { zh: '联合交办', en: 'Joint' },
};

export const VERDICT_LABELS: Record<Verdict, Label> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
};

export const FEEDBACK_CHANNEL_LABELS: Record<FeedbackChannel, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  sms: { zh: '短信', en: 'Text message' },
  letter: { zh: '信函', en: 'Letter' },
  visit: { zh: '上门', en: 'Home visit' },
};

export const ASSESSMENT_METHOD_LABELS: Record<AssessmentMethod, Label> = {
  visit: { zh: '走访', en: 'Visit' },
  undercover_visit: { zh: '暗访', en: 'Undercover visit' },
  document_review: { zh: '查阅资料', en: 'Document review' },
  phone_survey: { zh: '电话调查', en: 'Phone survey' },
};

export const FINDING_KIND_LABELS: Record<FindingKind, Label> = {
  perfunctory: { zh: '整改不扎实不到位', en: 'Perfunctory' },
  falsified: { zh: '弄虚作假', en: 'Falsified' },
};

export const ACCOUNTABILITY_MEASURE_LABELS: Record<AccountabilityMeasure, Label> = {
  criticism_notice: { zh: '通报批评', en: 'Criticism notice' },
  summons: { zh: '约谈', en: 'Summons' },
  admonishment: { zh: '诫勉谈话', en: 'Admonishment' },
  disciplinary_referral: { zh: '移交纪检', en: 'Disciplinary referral' },
  reminder_talk: { zh: '提醒谈话', en: 'Reminder talk' },
  organisational_adjustment: { zh: '组织调整', en: 'Organisational adjustment' },
  honours_disqualification: { zh: '取消当年评优提拔资格', en: 'Honours disqualification' },
};

export const ISSUE_KIND_LABELS: Record<IssueKind, Label> = {
  problem: { zh: '问题', en: 'Problem' },
  suggestion: { zh: '意见建议', en: 'Suggestion' },
  task: { zh: '任务', en: 'Task' },
};

export const RESOLUTION_LABELS: Record<Resolution, Label> = {
  rectified: { zh: '整改销号', en: 'Rectified' },
  on_spot: { zh: '立行立改', en: 'Resolved on the spot' },
};

export const LIST_KIND_LABELS: Record<ListKind, Label> = {
  red: { zh: '红榜', en: 'Red list' },
  black: { zh: '黑榜', en: 'Black list' },
};

/** 是 / 否 */
export const BOOLEAN_LABELS: Record<'true' | 'false', Label> = {
  true: { zh: '是', en: 'Yes' },
  false: { zh: '否', en: 'No' },
};
