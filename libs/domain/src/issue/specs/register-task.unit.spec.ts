import { DeciderSpecification } from '../../testing/decider-spec';
import { InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { RegisterIssue } from '../issue.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

const PROGRAMME = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
const INSPECTION = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/** Programmes' tasks and inspections' findings are issues that name them (DESIGN.md §7.1). */
describe('register a task of a programme, or a finding of an inspection', () => {
  const register = (data: Partial<RegisterIssue['data']> = {}) =>
    f.command(
      'RegisterIssue',
      {
        source: 'supervision_team',
        category: '效能风暴',
        title: '压缩企业开办时间',
        description: '一个工作日内办结',
        ...data,
      },
      0,
    );

  it('a task names its programme and phase; kind defaults to task', () =>
    spec
      .given([])
      .when(register({ programmeId: PROGRAMME, phase: 'battle-1' }))
      .thenState((s) => expect(s).toMatchObject({ kind: 'task', programmeId: PROGRAMME, phase: 'battle-1' })));

  it('the event records them, so the read model and the history need nothing else', () => {
    const [event] = issueDecider.decide(
      register({ programmeId: PROGRAMME, kind: 'task' }),
      issueDecider.initialState(),
    );
    expect(event.data).toMatchObject({ kind: 'task', programmeId: PROGRAMME });
    expect(event.data).not.toHaveProperty('phase');
  });

  it('an issue without a programme has none: null in the state', () =>
    spec
      .given([])
      .when(register())
      .thenState((s) =>
        expect(s).toMatchObject({ programmeId: null, phase: null, inspectionId: null, kind: 'problem' }),
      ));

  it('a finding names the inspection that found it', () =>
    spec
      .given([])
      .when(register({ source: 'undercover_visit', inspectionId: INSPECTION }))
      .thenState((s) => expect(s).toMatchObject({ inspectionId: INSPECTION, kind: 'problem' })));

  it.each([
    ['kind', { programmeId: PROGRAMME, kind: 'problem' as const }, /is a task/],
    ['phase', { phase: 'battle-1' }, /only with the programmeId/],
    ['programmeId', { programmeId: ' ' }, /required/],
    ['phase', { programmeId: PROGRAMME, phase: '' }, /required/],
    ['inspectionId', { inspectionId: '' }, /required/],
  ])('refuses a bad %s, naming it', (field, data, message) =>
    spec.given([]).when(register(data)).thenThrows(InvalidCommand, message, { field }),
  );
});
