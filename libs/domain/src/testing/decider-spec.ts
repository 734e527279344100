import type { Decider } from '../decider';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * given (events) → when (command) → then (events | a named error). After Emmett's DeciderSpecification.
 *
 *   spec.given([registered]).when(assign).then([assigned])
 *   spec.given([]).when(close).thenThrows(NotFound, /does not exist/)
 */
export const DeciderSpecification = {
  for<S, C, E>(decider: Decider<S, C, E>) {
    return {
      given(events: E[]) {
        return {
          when(command: C) {
            const run = () => {
              const state = events.reduce(decider.evolve, decider.initialState());
              return decider.decide(command, state);
            };
            return {
              then(expected: E[]) {
                expect(run()).toEqual(expected);
              },
              thenNothingHappens() {
                expect(run()).toEqual([]);
              },
              thenThrows(errorClass: ErrorClass, message?: RegExp) {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(errorClass);
                if (message) expect((thrown as Error).message).toMatch(message);
              },
              /** the state after given + the decided events */
              thenState(check: (state: S) => void) {
                const state = events.reduce(decider.evolve, decider.initialState());
                check(decider.decide(command, state).reduce(decider.evolve, state));
              },
            };
          },
        };
      },
    };
  },
};
