import { InvalidCommand } from '../errors';
import { evidenceFile } from '../testing/evidence-file';
import { attachmentIdsIn, attachmentIdsInJson, requireAttachmentRefs } from './attachment-ref';

describe('evidence file references', () => {
  const photo = evidenceFile('after.jpg');
  const report = evidenceFile('report.pdf', 'application/pdf');

  it('finds every referenced id in an event, once, and nothing in free text that only quotes one', () => {
    const data = { summary: `see "id":"${photo.id}"`, evidence: [photo, report, photo] };
    expect(attachmentIdsInJson(JSON.stringify(data))).toEqual([photo.id, report.id]);
    expect(attachmentIdsInJson(JSON.stringify({ summary: `"id":"${photo.id}"` }))).toEqual([]);
    expect(attachmentIdsInJson(JSON.stringify({ evidence: ['photos/after.jpg'] }))).toEqual([]);
  });

  it('finds the same ids in the same order in parsed data as in its JSON', () => {
    const data = {
      summary: `see "id":"${photo.id}"`,
      plan: { measures: [{ evidence: [report] }, { evidence: [] }] },
      evidence: [photo, report, photo],
      id: 'issue-1',
    };
    expect(attachmentIdsIn(data)).toEqual([report.id, photo.id]);
    expect(attachmentIdsIn(data)).toEqual(attachmentIdsInJson(JSON.stringify(data)));
    expect(attachmentIdsIn({ summary: `"id":"${photo.id}"`, evidence: ['photos/after.jpg'], n: null })).toEqual([]);
  });

  it('accepts resolved files and refuses anything else, naming the item', () => {
    expect(requireAttachmentRefs('evidence', undefined)).toEqual([]);
    expect(requireAttachmentRefs('evidence', [photo])).toEqual([photo]);
    const bad: [unknown, RegExp][] = [
      ['x', /^evidence: must be a list/],
      [['photos/after.jpg'], /^evidence\[0\]/],
      [[photo, { ...report, sha256: photo.sha256 }], /^evidence\[1\]/],
      [[{ ...photo, size: -1 }], /^evidence\[0\]/],
      [[{ ...photo, id: 'sha256:XYZ' }], /^evidence\[0\]/],
      [Array.from({ length: 51 }, () => photo), /at most 50/],
    ];
    for (const [value, message] of bad) {
      expect(() => requireAttachmentRefs('evidence', value)).toThrow(InvalidCommand);
      expect(() => requireAttachmentRefs('evidence', value)).toThrow(message);
    }
  });
});
