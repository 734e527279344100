import type { Decider } from '../decider';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * given (events) → when (command) → then (events | a named error | nothing), after Emmett's
 * DeciderSpecification. Jest's `expect` does the asserting.
 *
 *   spec.given([registered]).when(assign).then([assigned])
 *   spec.given([registered]).when(reportResult).thenThrows(IllegalTransition, /assign it first/)
 *   spec.given([]).when(assign).thenThrows(NotFound, /does not exist/)
 *
 * Besides the expectation, every run checks what all deciders promise: `decide` does not mutate the
 * state (it is frozen), and decided events are plain JSON (they survive a JSON round trip unchanged)
 * that `evolve` accepts.
 */
export const DeciderSpecification = {
  for<S, C, E>(decider: Decider<S, C, E>) {
    return {
      given(events: E[]) {
        const stateBefore = () =>
          deepFreeze(events.reduce((state, event) => decider.evolve(state, event), decider.initialState()));
        return {
          when(command: C) {
            const run = (): { state: S; decided: E[] } => {
              const state = stateBefore();
              const decided = decider.decide(deepFreeze(command), state);
              expect(decided).toStrictEqual(JSON.parse(JSON.stringify(decided)));
              return { state, decided };
            };
            return {
              /** exactly these events, in this order */
              then(expected: E[]) {
                const { state, decided } = run();
                expect(decided).toEqual(expected);
                decided.reduce(decider.evolve, state);
              },
              /** the command is accepted and decides no events (an idempotent repeat, a change that changes nothing) */
              thenNothingHappens() {
                expect(run().decided).toEqual([]);
              },
              /** refused with this error class; the message matches `message`; the error has `fields` (e.g. `{field: 'deadline'}`) */
              thenThrows(errorClass: ErrorClass, message?: RegExp, fields?: Record<string, unknown>) {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                if (thrown === undefined) throw new Error(`expected ${errorClass.name} but the command was accepted`);
                expect(thrown).toBeInstanceOf(errorClass);
                if (message) expect((thrown as Error).message).toMatch(message);
                if (fields) expect(thrown).toMatchObject(fields);
              },
              /** the state after the given events and the decided ones */
              thenState(check: (state: S) => void) {
                const { state, decided } = run();
                check(decided.reduce(decider.evolve, state));
              },
            };
          },
        };
      },
    };
  },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
