import type { CommandMeta, Decider } from '@duban/domain';

/**
 * Where the consequences start (CONSEQUENCES_FROM): `head` — only triggers recorded after the first worker
 * that had consequences started (a deployment onto an existing log does not punish years of old black
 * listings at once); `beginning` — every trigger in the log.
 */
export const CONSEQUENCES_FROM = ['head', 'beginning'] as const;
export type ConsequencesFrom = (typeof CONSEQUENCES_FROM)[number];

/** The first worker records where the consequences start; every later start (any worker) reads it back. */
export type SetConsequencesCutOff = {
  type: 'SetConsequencesCutOff';
  data: { position: number; from: ConsequencesFrom };
  meta: CommandMeta;
};
export type ConsequencesCutOffSet = {
  type: 'ConsequencesCutOffSet';
  data: { position: number; from: ConsequencesFrom; at: string; by: string };
};
/** null: no cut-off recorded yet */
export type CutOffState = ConsequencesCutOffSet['data'] | null;

/**
 * Recorded once, in the log: triggers at or before `position` are not followed. A second command (another
 * worker starting at the same moment, a restart) decides nothing, so the first cut-off stands for good.
 */
export function decideCutOff(command: SetConsequencesCutOff, state: CutOffState): ConsequencesCutOffSet[] {
  if (state !== null) return [];
  const { position, from } = command.data;
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`bad cut-off position ${position}`);
  return [{ type: 'ConsequencesCutOffSet', data: { position, from, at: command.meta.at, by: command.meta.actor.id } }];
}

export const cutOffDecider: Decider<CutOffState, SetConsequencesCutOff, ConsequencesCutOffSet> = {
  decide: decideCutOff,
  evolve: (state, event) => (event.type === 'ConsequencesCutOffSet' ? (state ?? event.data) : state),
  initialState: () => null,
};
