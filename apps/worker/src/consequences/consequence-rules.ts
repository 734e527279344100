import type { AccountabilityMeasure, AccountabilityTarget, IssueState, Person } from '@duban/domain';
import type { ConsequencePolicy, FindingRule } from './consequence-policy';

export type TriggerRule = 'black_list' | 'falsified' | 'perfunctory' | 'missed_progress';

/** An event consequences follow from, as the worker's read model recorded it. */
export interface Trigger {
  eventId: string;
  issueId: string;
  rule: TriggerRule;
  /** for `missed_progress`: how many monthly reports of the issue were missed up to this one */
  misses: number;
}

/**
 * One follow-up. `step` names it in the command id, so it must not depend on the state: a time limit is
 * `time_limit` whether it reopens a closed issue or orders a new deadline on an open one.
 */
export type Step =
  | {
      step: 'criticism_notice';
      kind: 'record';
      measure: AccountabilityMeasure;
      target: AccountabilityTarget;
      reason: string;
    }
  | { step: 'notice'; kind: 'notice'; unitId: string; title: string; body: string }
  | { step: 'escalate'; kind: 'escalate'; level: number; reason: string }
  | { step: 'time_limit'; kind: 'time_limit'; workingDays: number; reopen: boolean; reason: string }
  | { step: 'proposal'; kind: 'propose'; measure: AccountabilityMeasure; target: AccountabilityTarget; reason: string };

/** What the rules may look up besides the issue: the directory's unit heads, and whether notices exist. */
export interface RuleContext {
  principalOf(unitId: string): Person | null;
  notices: boolean;
}

/**
 * The follow-ups of `trigger` given the issue as it is now: nothing for an issue with no lead unit (or
 * withdrawn), no escalation the issue already reached. Pure: the runner turns steps into commands.
 */
export function consequenceSteps(
  trigger: Trigger,
  state: IssueState,
  policy: ConsequencePolicy,
  context: RuleContext,
): Step[] {
  const lead = state.leadUnitId;
  if (!lead || state.status === 'withdrawn') return [];
  switch (trigger.rule) {
    case 'black_list':
      return blackListSteps(state, lead, policy, context);
    case 'falsified':
      return findingSteps(state, lead, policy.falsified, '弄虚作假', context);
    case 'perfunctory':
      return findingSteps(state, lead, policy.perfunctory, '整改不扎实不到位', context);
    case 'missed_progress':
      return missedProgressSteps(trigger, state, policy);
  }
}

/** 黑榜: 在全市进行通报批评, 重点督办, 限期整改, 并进行责任追究. */
function blackListSteps(state: IssueState, lead: string, policy: ConsequencePolicy, context: RuleContext): Step[] {
  const rule = policy.blackList;
  if (!rule) return [];
  const title = `关于“${state.title ?? ''}”列入黑榜的通报`;
  const steps: Step[] = [];
  if (rule.criticismNotice)
    steps.push({
      step: 'criticism_notice',
      kind: 'record',
      measure: 'criticism_notice',
      target: { kind: 'unit', unitId: lead },
      reason: '列入黑榜，通报批评',
    });
  if (rule.notice && context.notices)
    steps.push({
      step: 'notice',
      kind: 'notice',
      unitId: lead,
      title,
      body: `${title}：通报批评，重点督办，限期整改。`,
    });
  if (rule.escalateToLevel !== null && state.escalationLevel < rule.escalateToLevel)
    steps.push({ step: 'escalate', kind: 'escalate', level: rule.escalateToLevel, reason: '列入黑榜，重点督办' });
  if (rule.timeLimitWorkingDays !== null) steps.push(timeLimit(state, rule.timeLimitWorkingDays, '列入黑榜，限期整改'));
  if (rule.proposal)
    steps.push({
      step: 'proposal',
      kind: 'propose',
      measure: rule.proposal,
      target: { kind: 'unit', unitId: lead },
      reason: '列入黑榜，进行责任追究',
    });
  return steps;
}

/** A finding: 由市级领导约谈责任单位主要负责人 (a proposal), and the rectification starts again (回头看 when closed). */
function findingSteps(
  state: IssueState,
  lead: string,
  rule: FindingRule | null,
  what: string,
  context: RuleContext,
): Step[] {
  if (!rule) return [];
  const steps: Step[] = [];
  if (rule.proposal) {
    const head = context.principalOf(lead);
    const target: AccountabilityTarget = head
      ? { kind: 'person', name: head.name, unitId: lead, principal: true }
      : { kind: 'unit', unitId: lead };
    steps.push({
      step: 'proposal',
      kind: 'propose',
      measure: rule.proposal,
      target,
      reason: `${what}，约谈主要负责人`,
    });
  }
  if (rule.timeLimitWorkingDays !== null) steps.push(timeLimit(state, rule.timeLimitWorkingDays, `${what}，重新整改`));
  return steps;
}

/** 按月上报 missed `after` times: 督办 once (nothing when the issue is already at that level or above). */
function missedProgressSteps(trigger: Trigger, state: IssueState, policy: ConsequencePolicy): Step[] {
  const rule = policy.missedProgressReports;
  if (!rule || trigger.misses < rule.after || state.escalationLevel >= rule.escalateToLevel) return [];
  const reason = `${trigger.misses} 次未按月上报工作进度`;
  return [{ step: 'escalate', kind: 'escalate', level: rule.escalateToLevel, reason }];
}

/** A closed issue is reopened (回头看); an open one gets a new time limit (责令限期整改). */
const timeLimit = (state: IssueState, workingDays: number, reason: string): Step => ({
  step: 'time_limit',
  kind: 'time_limit',
  workingDays,
  reopen: state.status === 'closed',
  reason,
});
