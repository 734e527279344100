import { fromBuffer } from 'file-type';

/** Office documents as file-type names them: OOXML, the legacy compound file (doc/xls/ppt), OpenDocument, RTF. */
const OFFICE = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/x-cfb',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/rtf',
]);

/** Evidence is photos, recordings, video, PDF and Office documents; anything else (executables, archives, HTML …) is refused. */
export function isAllowedMediaType(mediaType: string): boolean {
  return (
    /^(image|audio|video)\//.test(mediaType) ||
    mediaType === 'application/pdf' ||
    OFFICE.has(mediaType) ||
    // file-type names some containers by their generic type (e.g. an MP4 recorded without a brand it knows)
    mediaType === 'application/ogg'
  );
}

/** The media type the bytes say (never the client's header); null when file-type cannot tell. */
export async function sniffMediaType(head: Buffer): Promise<string | null> {
  const found = await fromBuffer(head);
  return found?.mime ?? null;
}

/** Refused by the allow-list: the HTTP layer answers 415. */
export class MediaTypeRefused extends Error {
  constructor(readonly sniffed: string | null) {
    super(
      sniffed
        ? `files of type ${sniffed} are not accepted as evidence (images, audio, video, PDF and Office documents are)`
        : 'the file type could not be recognised from its contents (images, audio, video, PDF and Office documents are accepted)',
    );
    this.name = 'MediaTypeRefused';
  }
}
