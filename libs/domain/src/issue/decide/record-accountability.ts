import { InvalidCommand } from '../../errors';
import { requireBoolean, requireOneOf, requireText } from '../../validation';
import type { RecordAccountability } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ACCOUNTABILITY_MEASURES, ACCOUNTABILITY_TARGET_KINDS, type AccountabilityTarget } from '../issue.vocabulary';
import { assignFirst, eventBase, leadUnitOf, requireStatusFor } from './refusals';

const UNASSIGNED = assignFirst('accountability follows from how an assigned issue was handled');

/** 责任追究: a measure against a person or a unit, once a unit was assigned. */
export function recordAccountability(command: RecordAccountability, state: IssueState): IssueEvent[] {
  const d = command.data;
  const measure = requireOneOf('measure', d.measure, ACCOUNTABILITY_MEASURES);
  const target = requireAccountabilityTarget(d.target);
  const reason = requireText('reason', d.reason);
  requireStatusFor(command.type, state, UNASSIGNED);
  return [
    {
      type: 'AccountabilityRecorded',
      data: { ...eventBase(command), measure, target, reason, leadUnitId: leadUnitOf(state) },
    },
  ];
}

/** A person needs a name, a unit its id; a person may also name their unit. */
export function requireAccountabilityTarget(value: unknown): AccountabilityTarget {
  if (typeof value !== 'object' || value === null)
    throw new InvalidCommand('target', 'must be {kind: person|unit, name?, unitId?, principal?}');
  const t: { kind?: unknown; name?: unknown; unitId?: unknown; principal?: unknown } = value;
  const kind = requireOneOf('target.kind', t.kind, ACCOUNTABILITY_TARGET_KINDS);
  if (kind === 'person' && t.name === undefined) throw new InvalidCommand('target.name', 'a person target needs name');
  if (kind === 'unit' && t.unitId === undefined)
    throw new InvalidCommand('target.unitId', 'a unit target needs unitId');
  return {
    kind,
    ...(t.name !== undefined ? { name: requireText('target.name', t.name) } : {}),
    ...(t.unitId !== undefined ? { unitId: requireText('target.unitId', t.unitId) } : {}),
    ...(t.principal !== undefined ? { principal: requireBoolean('target.principal', t.principal) } : {}),
  };
}
