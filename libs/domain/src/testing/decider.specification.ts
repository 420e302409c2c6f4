/**
 * Given/when/then for deciders, in the style of Emmett's DeciderSpecification:
 *
 *   sut.given(history).when(command, context).then(expectedEvents)
 *   sut.given(history).when(command, context).thenThrows(RuleBroken('panel-quorum-5'))
 *
 * For specs only: it uses Jest's `expect` for readable diffs.
 */
import type { DecisionContext } from '../shared/actor.model';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  NotPermittedError,
  type NotPermittedReason,
  RuleBrokenError,
  type RuleName,
} from '../shared/domain.errors';

/** The three pure functions of a decider. */
export interface Decider<Command, Event, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State, context: DecisionContext) => Event[];
  readonly evolve: (state: State, event: Event) => State;
}

/** What an expected error looks like, compared as plain data so a mismatch shows a clear diff. */
export interface ErrorExpectation {
  readonly error: string;
  readonly rule?: RuleName;
  readonly reason?: NotPermittedReason;
}

/** Expect `RuleBrokenError` for `rule`. */
export function RuleBroken(rule: RuleName): ErrorExpectation {
  return { error: 'RuleBrokenError', rule };
}

/** Expect `NotPermittedError`, for `reason` when given. */
export function NotPermitted(reason?: NotPermittedReason): ErrorExpectation {
  return reason === undefined ? { error: 'NotPermittedError' } : { error: 'NotPermittedError', reason };
}

/** Expect `CaseNotFoundError`. */
export function CaseNotFound(): ErrorExpectation {
  return { error: 'CaseNotFoundError' };
}

/** Expect `CaseAlreadyExistsError`. */
export function CaseAlreadyExists(): ErrorExpectation {
  return { error: 'CaseAlreadyExistsError' };
}

/** The outcome of deciding: the events, or the error described as {@link ErrorExpectation} data. */
export type Outcome<Event> = { readonly events: Event[] } | { readonly thrown: ErrorExpectation | string };

/** Runs a decider and describes what happened. */
export function outcomeOf<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[],
  command: Command,
  context: DecisionContext,
): Outcome<Event> {
  const state = history.reduce(decider.evolve, decider.initialState());
  try {
    return { events: decider.decide(command, state, context) };
  } catch (error) {
    return { thrown: describeError(error) };
  }
}

function describeError(error: unknown): ErrorExpectation | string {
  if (error instanceof RuleBrokenError) return { error: 'RuleBrokenError', rule: error.rule };
  if (error instanceof NotPermittedError) return { error: 'NotPermittedError', reason: error.reason };
  if (error instanceof CaseNotFoundError) return { error: 'CaseNotFoundError' };
  if (error instanceof CaseAlreadyExistsError) return { error: 'CaseAlreadyExistsError' };
  // Anything else is a bug; show it whole.
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Builds the given/when/then specification of a decider. */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[] = []) {
      return {
        when(command: Command, context: DecisionContext) {
          const outcome = (): Outcome<Event> => outcomeOf(decider, history, command, context);
          return {
            /** The command produces exactly these events. */
            then(expected: readonly Event[]): void {
              expect(outcome()).toEqual({ events: expected });
            },
            /** The command produces events that satisfy `check` (for partial assertions). */
            thenEvents(check: (events: Event[]) => void): void {
              const result = outcome();
              expect(result).toHaveProperty('events');
              if ('events' in result) check(result.events);
            },
            /** The command is refused with this error. */
            thenThrows(expected: ErrorExpectation): void {
              const result = outcome();
              const thrown = 'thrown' in result ? result.thrown : { noErrorButEvents: result.events };
              if (expected.reason === undefined && typeof thrown === 'object' && 'error' in thrown) {
                expect({ error: thrown.error, rule: thrown.rule }).toEqual({
                  error: expected.error,
                  rule: expected.rule,
                });
              } else {
                expect(thrown).toEqual(expected);
              }
            },
          };
        },
      };
    },
  };
}
