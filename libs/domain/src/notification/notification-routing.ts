import { ESCALATION_LEVELS } from '../issue/issue.vocabulary';
import { NOTICE_KIND_NAMES, type NoticeKind } from '../notice/notice.vocabulary';
import { REPORT_REQUEST_KIND_NAMES, type ReportRequestKind } from '../report-request/report-request.vocabulary';

/** Who a notification goes to, relative to the issue; `named`: the units the event itself names (a notice's). */
export const RECIPIENT_ROLES = ['lead', 'co', 'parent', 'office', 'named'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export const NOTIFICATION_KINDS = [
  'assigned',
  'reminder',
  'escalation_1',
  'escalation_2',
  'escalation_3',
  'escalation_4',
  'progress_requested',
  'progress_reminder',
  'notice',
  'result_reported',
  'extension_requested',
  'proposal_pending',
  'time_limit',
  'reopened',
  'report_requested',
  'report_reminder',
  'report_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * The routing policy: for each kind of notification, who receives it. `office` is the supervision office,
 * the unit whose code is `officeUnitCode` (without one, office notifications go to the registrars' inbox only).
 */
export interface NotificationPolicy {
  officeUnitCode: string | null;
  routes: Record<NotificationKind, RecipientRole[]>;
}

/**
 * The escalation ladder routes upward (DESIGN.md §2.1): level 1 notifies the lead unit, level 2 also its
 * parent (the supervising body), level 3 also the supervision office with a summons proposal, level 4 the
 * same with an accountability referral proposal.
 */
export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = {
  officeUnitCode: null,
  routes: {
    assigned: ['lead', 'co'],
    reminder: ['lead', 'co'],
    escalation_1: ['lead'],
    escalation_2: ['lead', 'parent'],
    escalation_3: ['lead', 'parent', 'office'],
    escalation_4: ['lead', 'parent', 'office'],
    progress_requested: ['lead', 'co'],
    progress_reminder: ['lead'],
    notice: ['named'],
    // the office decides what a unit reports or asks; the unit hears of the office's orders
    result_reported: ['office'],
    extension_requested: ['office'],
    proposal_pending: ['office'],
    time_limit: ['lead', 'co'],
    reopened: ['lead', 'co'],
    // 报送要求: the units asked; the office hears of the units that did not report in time
    report_requested: ['named'],
    report_reminder: ['named'],
    report_overdue: ['named', 'office'],
  },
};

/** Checks a policy read from a file; returns it with defaults filled in, or throws a message naming the bad key. */
export function parseNotificationPolicy(input: unknown): NotificationPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('the policy must be a JSON object');
  const raw = input as { officeUnitCode?: unknown; routes?: unknown };
  const officeUnitCode = raw.officeUnitCode ?? null;
  if (officeUnitCode !== null && (typeof officeUnitCode !== 'string' || officeUnitCode.trim() === ''))
    throw new Error('officeUnitCode must be a unit code or null');
  const routes = { ...DEFAULT_NOTIFICATION_POLICY.routes };
  if (raw.routes !== undefined) {
    if (typeof raw.routes !== 'object' || raw.routes === null || Array.isArray(raw.routes))
      throw new Error('routes must be an object');
    for (const [kind, recipients] of Object.entries(raw.routes)) {
      if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind))
        throw new Error(`routes.${kind}: unknown notification kind (one of ${NOTIFICATION_KINDS.join(', ')})`);
      if (!Array.isArray(recipients) || recipients.some((r) => !(RECIPIENT_ROLES as readonly string[]).includes(r))) {
        throw new Error(`routes.${kind} must be a list of ${RECIPIENT_ROLES.join(', ')}`);
      }
      routes[kind as NotificationKind] = [...new Set(recipients as RecipientRole[])];
    }
  }
  return { officeUnitCode: officeUnitCode as string | null, routes };
}

/** What routing needs to know of the unit directory. */
export interface UnitDirectory {
  parentOf(unitId: string): string | null;
  idOfCode(code: string): string | null;
}

export interface Notification {
  kind: NotificationKind;
  /** the recipient unit; null for the supervision office when no unit is configured as it */
  unitId: string | null;
  role: RecipientRole;
  issueId: string;
  /** level 3 proposes a summons talk (约谈), level 4 an accountability referral (问责) */
  proposal: 'summons' | 'accountability_referral' | null;
  body: string;
}

type EventLike = { type: string; data: Record<string, unknown> };

/**
 * The notifications one event causes under a policy: one per recipient unit (a unit reached in two roles
 * is notified once, in the first). Pure: the in-app inbox (API) and the webhook/email channels (worker)
 * route through this one function, so every channel agrees on who was told what.
 */
export function notificationsFor(
  event: EventLike,
  policy: NotificationPolicy,
  directory: UnitDirectory,
): Notification[] {
  const message = messageOf(event);
  if (!message) return [];
  const d = event.data;
  const lead = d.leadUnitId as string;
  const recipients: { role: RecipientRole; unitId: string | null }[] = [];
  for (const role of policy.routes[message.kind]) {
    if (role === 'lead') recipients.push({ role, unitId: lead });
    if (role === 'co')
      for (const unitId of (d.coUnitIds as string[] | undefined) ?? []) recipients.push({ role, unitId });
    if (role === 'parent') {
      const parent = directory.parentOf(lead);
      if (parent) recipients.push({ role, unitId: parent });
    }
    if (role === 'office')
      recipients.push({ role, unitId: policy.officeUnitCode ? directory.idOfCode(policy.officeUnitCode) : null });
    if (role === 'named')
      for (const unitId of (d.unitIds as string[] | undefined) ?? []) recipients.push({ role, unitId });
  }
  const seen = new Set<string>();
  return recipients
    .filter((r) => {
      const key = r.unitId ?? 'office';
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({
      kind: message.kind,
      unitId: r.unitId,
      role: r.role,
      // a notice or a report request is about itself: its id stands where an issue's would
      issueId: (d.issueId ?? d.noticeId ?? d.reportRequestId) as string,
      proposal: message.proposal,
      body: message.body(r.role),
    }));
}

function messageOf(
  event: EventLike,
): { kind: NotificationKind; proposal: Notification['proposal']; body: (role: RecipientRole) => string } | null {
  const d = event.data;
  switch (event.type) {
    case 'IssueAssigned':
      return {
        kind: 'assigned',
        proposal: null,
        body: (role) =>
          role === 'co'
            ? `协办：牵头单位 ${d.leadUnitId} (assigned as co-unit)`
            : `交办：请于 ${d.deadline} 前整改到位 (assigned as lead unit, deadline ${d.deadline})`,
      };
    case 'ReminderSent':
      return {
        kind: 'reminder',
        proposal: null,
        body: () => `提醒：整改时限 ${d.deadline} (reminder ${d.offset} before the deadline)`,
      };
    case 'IssueEscalated': {
      const level = d.level as 1 | 2 | 3 | 4;
      const proposal = level === 3 ? 'summons' : level === 4 ? 'accountability_referral' : null;
      const proposed =
        proposal === 'summons'
          ? '；建议约谈单位负责人 (summons proposed)'
          : proposal === 'accountability_referral'
            ? '；建议启动问责 (accountability referral proposed)'
            : '';
      return {
        kind: `escalation_${level}`,
        proposal,
        body: (role) =>
          `${ESCALATION_LEVELS[level]}：${d.reason}${role === 'office' || role === 'parent' ? proposed : ''}`,
      };
    }
    case 'ProgressRequested':
      return {
        kind: 'progress_requested',
        proposal: null,
        body: () => `请于 ${d.dueBy} 前上报 ${d.month} 月整改进度 (monthly progress report due ${d.dueBy})`,
      };
    case 'ProgressReminderSent':
      return {
        kind: 'progress_reminder',
        proposal: null,
        body: () => `${d.month} 月整改进度逾期未报 (the ${d.month} progress report was due ${d.dueBy})`,
      };
    case 'NoticePublished':
      return { kind: 'notice', proposal: null, body: () => `${NOTICE_KIND_NAMES[d.kind as NoticeKind]}：${d.title}` };
    default:
      return officeMessageOf(event) ?? unitMessageOf(event) ?? reportMessageOf(event);
  }
}

/** What units report or ask for: the office assesses or decides it. */
function officeMessageOf(event: EventLike): ReturnType<typeof messageOf> {
  const d = event.data;
  switch (event.type) {
    case 'ResultReported':
      return {
        kind: 'result_reported',
        proposal: null,
        body: () => `整改结果已上报，待评议 (result reported: ${d.summary})`,
      };
    case 'ExtensionRequested':
      return {
        kind: 'extension_requested',
        proposal: null,
        body: () => `申请延期至 ${d.newDeadline}，待审批 (extension requested: ${d.reason})`,
      };
    case 'AccountabilityProposed':
      return {
        kind: 'proposal_pending',
        proposal: d.kind === 'summons' ? 'summons' : 'accountability_referral',
        body: () => `待决定的责任追究建议 (a proposal awaits a decision): ${d.reason}`,
      };
    default:
      return null;
  }
}

/** The office's orders to the unit rectifying the issue. */
function unitMessageOf(event: EventLike): ReturnType<typeof messageOf> {
  const d = event.data;
  switch (event.type) {
    case 'TimeLimitOrdered':
      return {
        kind: 'time_limit',
        proposal: null,
        body: () => `责令限期整改：请于 ${d.deadline} 前整改到位 (a new time limit: ${d.reason})`,
      };
    case 'IssueReopened':
      return {
        kind: 'reopened',
        proposal: null,
        body: () => `问题重新打开，请于 ${d.deadline} 前再次整改 (reopened${d.reason ? `: ${d.reason}` : ''})`,
      };
    default:
      return null;
  }
}

/** 报送要求: asked, reminded before the due instant, recorded overdue at it. */
function reportMessageOf(event: EventLike): ReturnType<typeof messageOf> {
  const d = event.data;
  switch (event.type) {
    case 'ReportRequestCreated':
      return {
        kind: 'report_requested',
        proposal: null,
        body: () =>
          `请于 ${d.dueAt} 前报送${REPORT_REQUEST_KIND_NAMES[d.kind as ReportRequestKind].zh}：${d.title} (a report is due ${d.dueAt})`,
      };
    case 'UnitReportsReminded':
      return {
        kind: 'report_reminder',
        proposal: null,
        body: () => `提醒：${d.title} 须于 ${d.dueAt} 前报送 (reminder ${d.offset} before the report is due)`,
      };
    case 'UnitReportsOverdue':
      return {
        kind: 'report_overdue',
        proposal: null,
        body: (role) =>
          role === 'office'
            ? `${d.title} 逾期未报单位 ${(d.unitIds as string[]).length} 个 (units that did not report by ${d.dueAt})`
            : `${d.title} 逾期未报 (your report was due ${d.dueAt})`,
      };
    default:
      return null;
  }
}

/** The event types that notify someone. */
export const NOTIFYING_EVENT_TYPES = [
  'IssueAssigned',
  'ReminderSent',
  'IssueEscalated',
  'ProgressRequested',
  'ProgressReminderSent',
  'NoticePublished',
  'ResultReported',
  'ExtensionRequested',
  'AccountabilityProposed',
  'TimeLimitOrdered',
  'IssueReopened',
  'ReportRequestCreated',
  'UnitReportsReminded',
  'UnitReportsOverdue',
] as const;
