import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('record a finding of perfunctory or falsified rectification (整改不扎实、弄虚作假)', () => {
  const finding = f.command('RecordFinding', { kind: 'falsified', note: '材料与现场不符' }, 7);

  it.each(['result_reported', 'accepted', 'reopened', 'closed'])('once a result was reported: %s', (status) =>
    spec.given(f.IN[status]).when(finding).thenState((s) => expect(s.findings).toEqual([{ kind: 'falsified', note: '材料与现场不符', at: f.at(7), by: 'reg-1' }])));
  it.each(['registered', 'triaged', 'assigned', 'in_progress', 'withdrawn'])('is refused before any result: %s', (status) =>
    spec.given(f.IN[status]).when(finding).thenThrows(IllegalTransition, /no result has been reported yet/));
});
