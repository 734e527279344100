/**
 * The file name a client gave (`X-File-Name`, percent-encoded or raw UTF-8, or a multipart part's filename),
 * as metadata only: the last path segment, no control characters, at most 255 characters. Files are stored by
 * hash, so a name like `../../etc/passwd` is only ever a label (`passwd`).
 */
export function fileNameOf(raw: string | string[] | undefined): string {
  let name = (Array.isArray(raw) ? raw[0] : (raw ?? '')).replace(/^utf-8''/i, '');
  if (/%[0-9a-f]{2}/i.test(name)) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // a stray % sign: keep the name as given
    }
  } else if (/[\u0080-\u00ff]/.test(name)) {
    // raw UTF-8 in a header arrives as latin1 characters
    const utf8 = Buffer.from(name, 'latin1').toString('utf8');
    if (!utf8.includes('\ufffd')) name = utf8;
  }
  const base = [...name]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .split(/[/\\]/)
    .pop()!
    .trim();
  const clean = base === '.' || base === '..' ? '' : base;
  return [...clean].slice(0, 255).join('') || 'attachment';
}
