import { createReadStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { importLog, loadKeyring, trustImportedPublicKey } from '@duban/audit';
import { bulkImportOf, EventStoreError } from '@duban/event-store';
import { EXIT } from '../exit';
import { openLocalStore, progressBar, UsageError } from '../cli-kit';
import { api, AuditCommand, AuditContext, print } from '../context';
import { importAttachments } from '../attachments-dir';

async function importOnServer(context: AuditContext, file: string): Promise<object> {
  const res = await api(context, '/admin/import', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson' },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  return (await res.json()) as object;
}

async function importLocally(context: AuditContext, file: string): Promise<object> {
  const store = openLocalStore(context.dataDir, { readonly: false });
  const bar = progressBar(context.progress, 'import');
  try {
    if ((await store.headPosition()) > 0)
      throw new UsageError(`the store in ${context.dataDir} holds events: import into an empty data directory`);
    const bulkImport = bulkImportOf(store);
    if (!bulkImport) throw new EventStoreError('this event store cannot import a log with its positions');
    const result = await importLog(createReadStream(file), bulkImport, {
      keyring: loadKeyring({ publicKeyFiles: context.publicKeys, dataDir: context.dataDir }),
      onProgress: (p) => bar.update(p.events, p.events),
    });
    for (const pem of result.publicKeys) trustImportedPublicKey(context.dataDir, pem);
    return { events: result.events, position: result.position, digest: result.digest, signed: result.signed };
  } finally {
    bar.stop();
    await store.close();
  }
}

/** `import FILE`: an export into an EMPTY store (the --data-dir one, or the server's). */
export const importCommand: AuditCommand = {
  positionals: 1,
  async run(context, { attachments }, [file]) {
    if (!existsSync(file)) throw new UsageError(`no file ${file}`);
    if (attachments && context.server)
      throw new UsageError('--attachments restores files into a data dir: import with --data-dir (then serve it)');
    if (attachments && !existsSync(attachments)) throw new UsageError(`no directory ${attachments}`);
    const result = context.server ? await importOnServer(context, file) : await importLocally(context, file);
    if (!attachments) {
      print(result);
      return EXIT.clean;
    }
    const files = await importAttachments(context, file, attachments);
    print({ ...result, attachments: files });
    const bad = files.missing.length + files.altered.length;
    if (bad)
      process.stderr.write(
        `${bad} evidence files not restored: ${[...files.altered.map((id) => `${id} altered`), ...files.missing.map((id) => `${id} missing`)].slice(0, 5).join('; ')}\n`,
      );
    return bad ? EXIT.tampered : EXIT.clean;
  },
};
