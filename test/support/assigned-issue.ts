import { CommandRunner, issueStream } from '@duban/application';
import { IssueCommand, issueDecider } from '@duban/domain';

export const TEST_REGISTRAR = { id: 'reg-1', role: 'registrar' };

export interface AssignedIssue {
  issueId: string;
  leadUnitId: string;
  /** ISO instant */
  deadline: string;
  actor?: { id: string; role: string };
}

/**
 * Registers an issue and assigns it with this deadline, straight through the command runner (no API): the
 * worker tests' and the deadlines bench's way to put deadlines into a store.
 */
export async function registerAndAssign(
  runner: CommandRunner,
  { issueId, leadUnitId, deadline, actor = TEST_REGISTRAR }: AssignedIssue,
): Promise<void> {
  const at = new Date().toISOString();
  const commands: IssueCommand[] = [
    {
      type: 'RegisterIssue',
      data: { issueId, source: 'hotline', category: '作风建设', title: '推诿扯皮', description: '群众多次往返未办结' },
      meta: { at, actor },
    },
    {
      type: 'AssignIssue',
      data: { issueId, leadUnitId, responsiblePerson: { name: '王五' }, deadline, mode: 'counterpart' },
      meta: { at, actor },
    },
  ];
  for (const command of commands)
    await runner.execute({
      streamId: issueStream(issueId),
      decider: issueDecider,
      command,
      meta: { actor },
      name: command.type,
    });
}
