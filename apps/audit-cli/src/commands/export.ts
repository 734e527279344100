import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { exportLog, trustedPublicKeyPems } from '@duban/audit';
import { rawEventLog } from '@duban/event-store';
import { EXIT } from '../exit';
import { progressBar, UsageError } from '../cli-kit';
import { api, AuditCommand, AuditContext, openAuditedStore, print } from '../context';
import { exportAttachments } from '../attachments-dir';
import { exportWithPersonalData } from './personal-data';

/** `export [--out FILE] [--attachments DIR]`: the whole log as NDJSON (stdout by default), and its evidence files. */
export const exportCommand: AuditCommand = {
  positionals: 0,
  async run(context, values) {
    const { out, attachments } = values;
    if (attachments && !out) throw new UsageError('--attachments needs --out FILE (the files are listed from it)');
    const code = values['with-personal-data']
      ? await exportWithPersonalData(context, values)
      : await exportLogTo(context, out);
    if (!attachments) return code;
    const copied = await exportAttachments(context, out!, attachments);
    print({ attachments: copied });
    const bad = copied.missing.length + copied.altered.length;
    process.stderr.write(
      `${copied.files} evidence files (${copied.bytes} bytes) written to ${attachments}${bad ? `; ${copied.missing.length} missing, ${copied.altered.length} altered (not written)` : ''}\n`,
    );
    return bad ? EXIT.tampered : code;
  },
};

/** The NDJSON export, from the server or the data dir, to FILE or stdout. */
async function exportLogTo(context: AuditContext, out: string | undefined): Promise<number> {
  const target = out ? createWriteStream(out) : process.stdout;
  const bar = progressBar(context.progress && Boolean(out || !process.stdout.isTTY), 'export');
  try {
    if (context.server) {
      const res = await api(context, '/audit/export');
      await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), target);
      return EXIT.clean;
    }
    const store = openAuditedStore(context);
    try {
      // the auditor holds no ledger key: the trailer carries the running digest unsigned
      const chunks = exportLog(rawEventLog(store), {
        publicKeys: trustedPublicKeyPems(context.dataDir),
        onProgress: (p) => bar.update(p.position, p.head),
      });
      await pipeline(Readable.from(chunks), target);
    } finally {
      await store.close();
    }
    return EXIT.clean;
  } finally {
    bar.stop();
  }
}
