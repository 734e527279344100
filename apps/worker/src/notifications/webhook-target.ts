import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddressReason, WebhookAllowList } from '@duban/common';

/** A webhook URL the worker must not call: retrying cannot help, so the delivery fails at once. */
export class WebhookTargetRefused extends Error {}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface WebhookTarget {
  url: URL;
  /** the checked address the request connects to */
  address: string;
  family: number;
}

/** `WEBHOOK_ALLOWED_HOSTS`, read once at start: a malformed entry stops the worker with the variable's name. */
export function webhookAllowListFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookAllowList {
  try {
    return WebhookAllowList.parse(env.WEBHOOK_ALLOWED_HOSTS);
  } catch (error) {
    throw new Error(`WEBHOOK_ALLOWED_HOSTS: ${(error as Error).message}`);
  }
}

/**
 * Resolves the URL's host now and checks every address it resolves to; the caller connects to the
 * returned address, so a second DNS answer cannot swap in an internal one (DNS rebinding).
 * Messages name the host only: the path of a webhook URL often carries a robot token.
 */
export async function resolveWebhookTarget(
  raw: string,
  allowList: WebhookAllowList,
  resolve: ResolveHost = systemResolve,
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetRefused('the webhook address is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookTargetRefused(`a webhook must use http or https, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses: LookupAddress[] = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await resolve(host).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`webhook host ${host} could not be resolved (${error.code ?? error.message})`);
      });
  if (addresses.length === 0) throw new Error(`webhook host ${host} resolved to no address`);
  if (!allowList.allowsName(host)) {
    for (const { address } of addresses) {
      const reason = refusedAddressReason(address);
      if (reason && !allowList.allowsAddress(address))
        throw new WebhookTargetRefused(
          `webhook target ${host} refused: ${address} is ${reason}; name it in WEBHOOK_ALLOWED_HOSTS to allow it`,
        );
    }
  }
  return { url, address: addresses[0].address, family: addresses[0].family };
}

/** POSTs `body` to the checked address (TLS still verifies the URL's host name); resolves with the status. */
export function postToWebhookTarget(
  target: WebhookTarget,
  headers: OutgoingHttpHeaders,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: pinned,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
