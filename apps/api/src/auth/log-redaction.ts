/** Query parameters that carry a credential: the queue board's one-time code, and tokens some clients put in URLs. */
const SECRET_PARAMS = ['token', 'code', 'access_token', 'id_token'];
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key'];
const CENSOR = '[redacted]';

/** `/admin/queues?token=eyJ…&x=1` → `/admin/queues?token=[redacted]&x=1`. */
export function redactUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  const pattern = new RegExp(`([?&;](?:${SECRET_PARAMS.join('|')})=)[^&;#]*`, 'gi');
  return url.replace(pattern, `$1${CENSOR}`);
}

function redactRecord(record: unknown, keys: string[]): unknown {
  if (!record || typeof record !== 'object') return record;
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, keys.includes(key.toLowerCase()) ? CENSOR : value]),
  );
}

/**
 * pino-http serializers that keep credentials out of the request log whatever logger the app was given:
 * bearer tokens and cookies in headers, `set-cookie` in answers, tokens and codes in the URL.
 */
export const redactingSerializers = {
  req: (req: Record<string, unknown>) => ({
    ...req,
    url: redactUrl(req.url),
    query: redactRecord(req.query, SECRET_PARAMS),
    headers: redactRecord(req.headers, SECRET_HEADERS),
  }),
  res: (res: Record<string, unknown>) => ({ ...res, headers: redactRecord(res.headers, SECRET_HEADERS) }),
};
