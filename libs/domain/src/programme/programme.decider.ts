import type { Decider } from '../decider';
import { AlreadyExists, InvalidCommand } from '../errors';
import {
  requireDate,
  requireInstant,
  requireInteger,
  requireOneOf,
  requireStringList,
  requireText,
} from '../validation';
import type { CreateProgramme, ProgrammeCommand } from './programme.commands';
import type { ProgrammeEvent } from './programme.events';
import { evolveProgramme, initialProgrammeState, ProgrammeState } from './programme.state';
import {
  PHASE_KEY_PATTERN,
  PROGRAMME_KINDS,
  PROGRAMME_LIMITS,
  type DatePeriod,
  type LeadLeader,
  type ProgrammePhase,
} from './programme.vocabulary';

/**
 * Programmes (专项行动/攻坚战/重点工作, DESIGN.md §7.1): a named frame for tasks. The tasks themselves are
 * issues (kind `task`), so deadlines, reminders, escalation and assessment apply to them unchanged; the
 * programme records what the seeds announce up front: period, leader, phases and targets.
 */
export function decideProgramme(command: ProgrammeCommand, state: ProgrammeState): ProgrammeEvent[] {
  switch (command.type) {
    case 'CreateProgramme':
      return createProgramme(command, state);
    default:
      return unknownCommand(command.type);
  }
}

function unknownCommand(type: never): never {
  throw new InvalidCommand('type', `unknown programme command ${String(type)}`);
}

/**
 * The period runs forwards and contains the year it is filed under; every phase has a unique key and lies
 * inside the period, so a task's phase always dates within its programme.
 */
export function createProgramme(command: CreateProgramme, state: ProgrammeState): ProgrammeEvent[] {
  const programmeId = requireText('programmeId', command.data.programmeId);
  const base = {
    programmeId,
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };
  if (state.status !== 'none') throw new AlreadyExists(`programme ${programmeId} already exists`);
  const d = command.data;
  const year = requireInteger('year', d.year, PROGRAMME_LIMITS.year.min, PROGRAMME_LIMITS.year.max);
  const period = requirePeriod('period', d.period);
  if (Number(period.from.slice(0, 4)) > year || Number(period.to.slice(0, 4)) < year)
    throw new InvalidCommand('year', `the period ${period.from} to ${period.to} does not include the year ${year}`);
  return [
    {
      type: 'ProgrammeCreated',
      data: {
        ...base,
        name: requireText('name', d.name),
        year,
        kind: requireOneOf('kind', d.kind, PROGRAMME_KINDS),
        period,
        leadLeader: d.leadLeader === undefined ? null : requireLeader(d.leadLeader),
        phases: requirePhases(d.phases ?? [], period),
        targets: requireStringList('targets', d.targets),
      },
    },
  ];
}

function requirePeriod(field: string, period: DatePeriod | undefined): DatePeriod {
  const from = requireDate(`${field}.from`, period?.from);
  const to = requireDate(`${field}.to`, period?.to);
  if (to < from) throw new InvalidCommand(`${field}.to`, `must not be before ${field}.from (${from})`);
  return { from, to };
}

function requireLeader(leader: LeadLeader): LeadLeader {
  return { name: requireText('leadLeader.name', leader?.name), title: requireText('leadLeader.title', leader?.title) };
}

function requirePhases(phases: ProgrammePhase[], period: DatePeriod): ProgrammePhase[] {
  if (!Array.isArray(phases)) throw new InvalidCommand('phases', 'must be a list of phases');
  const keys = new Set<string>();
  return phases.map((phase, i) => {
    const field = `phases[${i}]`;
    const key = requireText(`${field}.key`, phase?.key);
    if (!PHASE_KEY_PATTERN.test(key)) throw new InvalidCommand(`${field}.key`, 'must be letters, digits, _ or -');
    if (keys.has(key)) throw new InvalidCommand(`${field}.key`, `the key ${key} is used by an earlier phase`);
    keys.add(key);
    const dates = requirePeriod(field, phase);
    if (dates.from < period.from || dates.to > period.to)
      throw new InvalidCommand(
        field,
        `the phase ${dates.from} to ${dates.to} lies outside the programme's period ${period.from} to ${period.to}`,
      );
    return { key, name: requireText(`${field}.name`, phase.name), ...dates };
  });
}

export const programmeDecider: Decider<ProgrammeState, ProgrammeCommand, ProgrammeEvent> = {
  decide: decideProgramme,
  evolve: evolveProgramme,
  initialState: initialProgrammeState,
};
