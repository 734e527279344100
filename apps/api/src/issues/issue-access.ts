import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { IssueCommandType } from '@duban/domain';
import type { Principal, Role } from '../auth/principal';

/** Who may issue which issue command (admin always may): the routes' @Roles read it, so roles are checked once, by the guard. */
export const ISSUE_COMMAND_ROLES = {
  RegisterIssue: ['registrar'],
  TriageIssue: ['registrar'],
  AssignIssue: ['registrar'],
  ReassignIssue: ['registrar'],
  SubmitPlan: ['unit_officer'],
  ReportProgress: ['unit_officer'],
  RequestExtension: ['unit_officer'],
  DecideExtension: ['registrar'],
  ReportResult: ['unit_officer'],
  AssessResult: ['assessor'],
  RecordFinding: ['registrar', 'assessor', 'supervisor'],
  RecordReporterFeedback: ['registrar'],
  CloseIssue: ['registrar'],
  WithdrawIssue: ['registrar'],
  EscalateIssue: ['registrar'],
  RecordAccountability: ['registrar'],
  ListIssue: ['registrar'],
  OrderTimeLimit: ['registrar'],
  ReopenIssue: ['registrar', 'assessor'],
  DecideProposal: ['registrar'],
  ResolveOnSpot: ['registrar'],
} satisfies Partial<Record<IssueCommandType, Role[]>>;

interface ScopedIssue {
  status?: string;
  leadUnitId?: string | null;
  coUnitIds?: string[];
  responsibleUnitIds?: string[];
}

/** true when the issue exists (a stream with at least its registration) */
export const issueExists = (revision: number) => revision >= 0;

const onlyUnitOfficer = (principal: Principal) => principal.roles.every((r) => r === 'unit_officer');

/**
 * The units a unit officer (their own) or a supervisor (监督员: those they supervise) is limited to; null when
 * the caller also holds a role of the office, which sees every unit.
 */
export function unitScopeOf(principal: Principal): string[] | null {
  if (!principal.roles.every((r) => r === 'unit_officer' || r === 'supervisor')) return null;
  const own = principal.roles.includes('unit_officer') && principal.unitId ? [principal.unitId] : [];
  return [...own, ...(principal.roles.includes('supervisor') ? (principal.unitIds ?? []) : [])];
}

/** One of the caller's units must lead, co-handle (协办) or be responsible for part of (责任单位) the issue. */
export function inUnitScope(principal: Principal, issue: ScopedIssue): boolean {
  const scope = unitScopeOf(principal);
  if (scope === null) return true;
  const units = [issue.leadUnitId, ...(issue.coUnitIds ?? []), ...(issue.responsibleUnitIds ?? [])];
  return units.some((unitId) => !!unitId && scope.includes(unitId));
}

/** The lead unit (牵头单位) plans, reports the result and asks for extensions; the others report progress on their part. */
const LEAD_UNIT_COMMANDS: ReadonlySet<IssueCommandType> = new Set(['SubmitPlan', 'ReportResult', 'RequestExtension']);

/** A command's access: the issue in scope, and a lead-unit command only from the lead unit's officers. */
export function assertMayCommand(
  principal: Principal,
  command: IssueCommandType,
  issue: ScopedIssue,
  revision: number,
  id: string,
): void {
  if (command === 'RegisterIssue') return;
  assertIssueInScope(principal, issue, revision, id);
  if (LEAD_UNIT_COMMANDS.has(command) && onlyUnitOfficer(principal) && issue.leadUnitId !== principal.unitId)
    throw new ForbiddenException(
      `only the lead unit (牵头单位) ${issue.leadUnitId} may plan, report the result or ask for an extension; your unit co-handles issue ${id} and reports progress on its part`,
    );
}

/** The issue must exist (404) and be in the caller's unit scope (403): for reads and commands alike. */
export function assertIssueInScope(principal: Principal, issue: ScopedIssue, revision: number, id: string): void {
  if (!issueExists(revision)) throw new NotFoundException(`no issue ${id}`);
  if (!inUnitScope(principal, issue))
    throw new ForbiddenException(`issue ${id} is not assigned to your unit (or a unit you supervise)`);
}

/** A confidential reporter's identity is visible only to registrars and admins. */
export function canSeeConfidentialReporter(principal: Principal): boolean {
  return principal.roles.includes('registrar') || principal.roles.includes('admin');
}

interface WithReporter {
  reporter?: { name?: string; phone?: string; confidential?: boolean } | null;
}

/** A supervisor (监督员) is an outsider: they never see who reported, confidential or not. */
export function hidesReporter(principal: Principal, reporter: WithReporter['reporter']): boolean {
  if (!reporter || canSeeConfidentialReporter(principal)) return false;
  return reporter.confidential === true || principal.roles.includes('supervisor');
}

export function redactReporter<T extends WithReporter>(value: T, principal: Principal): T {
  if (!hidesReporter(principal, value.reporter)) return value;
  return { ...value, reporter: { confidential: value.reporter?.confidential === true } };
}

/**
 * The unit a read-model query is limited to: a unit officer always their own (asking for another
 * unit is 403); everyone else what they asked for, if anything.
 */
export function scopedUnitId(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.roles.includes('supervisor') && unitScopeOf(principal) !== null) {
    if (requested && unitScopeOf(principal)!.includes(requested)) return requested;
    throw new ForbiddenException(
      'a supervisor (监督员) reads only the units they supervise: name one of them as unitId',
    );
  }
  if (principal.roles.some((r) => r !== 'unit_officer')) return requested;
  if (requested && requested !== principal.unitId)
    throw new ForbiddenException("a unit officer sees only their own unit's issues and figures");
  return principal.unitId;
}

/** The units an issue list is limited to: the caller's scope (a unit asked for must be in it), or what was asked. */
export function scopedUnitIds(principal: Principal, requested: string | undefined): string[] | undefined {
  const scope = unitScopeOf(principal);
  if (scope === null) return requested ? [requested] : undefined;
  if (requested && !scope.includes(requested))
    throw new ForbiddenException('you see only the issues of your unit or of the units you supervise');
  return requested ? [requested] : scope;
}
