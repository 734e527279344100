import { fold } from '../../decider';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { NoticeCommand } from '../notice.commands';
import { noticeDecider, publishNotice } from '../notice.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(noticeDecider);

describe('publish a notice: once, and then it is final', () => {
  const publish = () => f.command('PublishNotice', {});

  it('records the publication with what its readers need (kind, title, units, issues)', () =>
    spec.given([f.created]).when(publish()).then([f.published]));

  it('the notice is published, with when and by whom', () =>
    spec
      .given([f.created])
      .when(publish())
      .thenState((s) =>
        expect(s).toMatchObject({ status: 'published', publishedAt: f.LATER, publishedBy: f.registrar.id }),
      ));

  it('a second publication is refused, naming the state (409 IllegalTransition)', () =>
    spec
      .given([f.created, f.published])
      .when(publish())
      .thenThrows(IllegalTransition, /already published.*create a new notice/, {
        state: 'published',
        command: 'PublishNotice',
      }));

  it('a notice that does not exist is NotFound', () =>
    spec
      .given([])
      .when(publish())
      .thenThrows(NotFound, /does not exist/));

  it('decideNotice hands the command to publishNotice unchanged', () => {
    const state = fold(noticeDecider, [f.created]);
    expect(noticeDecider.decide(publish(), state)).toEqual(publishNotice(publish(), state));
  });

  it('refuses an unknown command type, naming the field', () =>
    spec
      .given([f.created])
      .when({ ...publish(), type: 'RetractNotice' } as unknown as NoticeCommand)
      .thenThrows(InvalidCommand, /unknown notice command RetractNotice/, { field: 'type' }));
});
