/**
 * A Decider (after Emmett / Jérémie Chassaing): the whole behaviour of one aggregate as three
 * pure functions. No I/O, no clock: the time of a command comes in the command.
 */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Who issued a command: a user from a JWT, or `system:<worker>` */
export interface CommandActor {
  id: string;
  role: string;
  name?: string;
  /** the unit a unit officer is bound to */
  unitId?: string;
}

/** Every command carries the moment it was issued and who issued it. */
export interface CommandMeta {
  /** ISO-8601 instant: the command's time; domain code never reads the clock */
  at: string;
  actor: CommandActor;
}

/** Folds events into state, starting from the decider's initial state. */
export function fold<S, C, E>(decider: Decider<S, C, E>, events: Iterable<E>, from: S = decider.initialState()): S {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
