import { replayStream } from '@duban/audit';
import { EXIT } from '../exit';
import { UsageError } from '../cli-kit';
import { api, AuditCommand, AuditContext, openAuditedStore, print } from '../context';

async function replay(context: AuditContext, streamId: string, asOf: string): Promise<object> {
  if (context.server)
    return (await (
      await api(context, `/audit/streams/${encodeURIComponent(streamId)}?asOf=${encodeURIComponent(asOf)}`)
    ).json()) as object;
  const store = openAuditedStore(context);
  try {
    const result = replayStream(streamId, await store.readStream(streamId), asOf);
    if (result.revision < 0) throw new UsageError(`stream ${streamId} did not exist at ${asOf}`);
    return result;
  } finally {
    await store.close();
  }
}

/** `replay --stream ID --as-of INSTANT`: the stream's state as it stood then, and its events up to then. */
export const replayCommand: AuditCommand = {
  positionals: 0,
  async run(context, values) {
    const asOf = values['as-of'];
    if (!values.stream || !asOf) throw new UsageError('replay needs --stream ID and --as-of INSTANT');
    if (Number.isNaN(Date.parse(asOf)) || !/^\d{4}-\d{2}-\d{2}T/.test(asOf))
      throw new UsageError(`--as-of must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, got "${asOf}"`);
    print(await replay(context, values.stream, asOf));
    return EXIT.clean;
  },
};
