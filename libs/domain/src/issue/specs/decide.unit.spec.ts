import { fold } from '../../decider';
import { AlreadyExists, InvalidCommand, NotFound } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import { assignIssue, escalateIssue, registerIssue } from '../decide';
import type { IssueCommand } from '../issue.commands';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/** What `decideIssue` does before it hands a command to its own function, and that it hands it unchanged. */
describe('decideIssue: the checks every command shares, then one function per command', () => {
  const assign = f.command('AssignIssue', {
    leadUnitId: f.UNIT,
    responsiblePerson: { name: '王五' },
    deadline: f.DEADLINE,
    mode: 'leader',
  });

  it('hands a command to its own function, which decides the same events when called directly', () => {
    const state = fold(issueDecider, f.IN.registered);
    expect(issueDecider.decide(assign, state)).toEqual(assignIssue(assign, state));
  });

  it('a per-command function still refuses a status its command does not accept', () => {
    const state = fold(issueDecider, f.IN.closed);
    expect(() => escalateIssue(f.command('EscalateIssue', { level: 1, reason: 'r' }), state)).toThrow(
      /^cannot escalate an issue that is closed; /,
    );
  });

  it('registers only an issue that does not exist yet', () =>
    spec
      .given(f.IN.registered)
      .when(f.command('RegisterIssue', { source: 'hotline', category: 'c', title: 't', description: 'd' }))
      .thenThrows(AlreadyExists, new RegExp(`^issue ${f.ISSUE} is already registered$`)));

  it('every other command needs the issue to exist', () =>
    spec
      .given([])
      .when(assign)
      .thenThrows(NotFound, new RegExp(`^issue ${f.ISSUE} does not exist$`)));

  it('refuses a command that names another issue than the state', () =>
    spec
      .given(f.IN.registered)
      .when({ ...assign, data: { ...assign.data, issueId: f.OTHER_UNIT } })
      .thenThrows(InvalidCommand, /^issueId: names issue .* but the state is issue /, { field: 'issueId' }));

  it('refuses a command without a valid time before anything else', () =>
    spec
      .given([])
      .when({ ...assign, meta: { ...assign.meta, at: '2026-03-02 09:00' } })
      .thenThrows(InvalidCommand, /^meta\.at: /, { field: 'meta.at' }));

  it('refuses a command type it does not know, naming it', () =>
    spec
      .given(f.IN.registered)
      .when({ ...assign, type: 'PaintIssue' } as unknown as IssueCommand)
      .thenThrows(InvalidCommand, /^type: unknown issue command PaintIssue$/, { field: 'type' }));

  it('registerIssue decides the registration on its own', () =>
    expect(
      registerIssue(
        f.command('RegisterIssue', { source: 'audit', category: 'c', title: 't', description: 'd' }),
        issueDecider.initialState(),
      ),
    ).toEqual([
      expect.objectContaining({ type: 'IssueRegistered', data: expect.objectContaining({ source: 'audit' }) }),
    ]));
});
