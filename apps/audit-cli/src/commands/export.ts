import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { exportLog, trustedPublicKeyPems } from '@duban/audit';
import { rawEventLog } from '@duban/event-store';
import { EXIT } from '../exit';
import { progressBar } from '../cli-kit';
import { api, AuditCommand, openAuditedStore } from '../context';

/** `export [--out FILE]`: the whole log as NDJSON (stdout by default). */
export const exportCommand: AuditCommand = {
  positionals: 0,
  async run(context, { out }) {
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
  },
};
