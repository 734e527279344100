import type { CommandMeta } from '../decider';
import type { DatePeriod, LeadLeader, ProgrammeKind, ProgrammePhase } from './programme.vocabulary';

/** Every programme command: `{type, data, meta}`; `data.programmeId` names the aggregate. */
type ProgrammeCmd<T extends string, D> = { type: T; data: D & { programmeId: string }; meta: CommandMeta };

/** 部署: a programme with its period, leader, phases and targets; its tasks are registered as issues afterwards. */
export type CreateProgramme = ProgrammeCmd<
  'CreateProgramme',
  {
    name: string;
    year: number;
    kind: ProgrammeKind;
    period: DatePeriod;
    leadLeader?: LeadLeader;
    phases?: ProgrammePhase[];
    /** 阶段性目标/工作目标 */
    targets?: string[];
  }
>;

export type ProgrammeCommand = CreateProgramme;
export type ProgrammeCommandType = ProgrammeCommand['type'];
