import { ApiError } from '../errors/api-error.js';
import { ConnectionError, KontextError } from '../errors/index.js';
import { decodeDataUrl, describeReceivedImage, type ReceivedImage } from '../images/received-image.js';
import { decideRetry } from '../retry/retry-decision.js';
import { resolveRetryPolicy, type RetryPolicy } from '../retry/retry-policy.js';
import type { OutputImage } from '../types.js';
import { nodeSleep } from './sleep.js';

/** `contentType` and `extension` come from the bytes when they are a known image type. */
export type DownloadedImage = ReceivedImage;

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

/**
 * Fetches a result image (fal's file host URL, or a data URI from sync_mode) to bytes.
 * Results expire on the server, so save what you need.
 */
export async function downloadImage(image: string | OutputImage, options: DownloadOptions = {}): Promise<DownloadedImage> {
  const url = typeof image === 'string' ? image : image.url;
  if (url.startsWith('data:')) {
    const decoded = decodeDataUrl(url);
    if (!decoded) throw new KontextError('The result image is a data URI that cannot be read');
    return decoded;
  }
  const doFetch = options.fetch ?? fetch;
  const policy = resolveRetryPolicy(options.retry);
  for (let retry = 0; ; retry += 1) {
    let response: Response;
    try {
      response = await doFetch(url, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      const decision = decideRetry({ kind: 'network-error', error }, 'idempotent', retry, policy, Date.now());
      if (options.signal?.aborted || !decision.retry) {
        if (options.signal?.aborted) throw error;
        throw new ConnectionError(`Download of ${url} failed: ${(error as Error).message}`, { cause: error });
      }
      await nodeSleep(decision.delay, options.signal);
      continue;
    }
    const headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    if (response.ok) return describeReceivedImage(new Uint8Array(await response.arrayBuffer()), headers['content-type']);
    const decision = decideRetry({ kind: 'response', status: response.status, headers }, 'idempotent', retry, policy, Date.now());
    if (!decision.retry) {
      const body = await response.text().catch(() => '');
      throw new ApiError({
        status: response.status,
        body,
        headers,
        message: `Download of ${url} failed with ${response.status}${response.status === 404 ? ' (results expire; save them soon after the job ends)' : ''}`,
      });
    }
    await response.body?.cancel().catch(() => undefined);
    await nodeSleep(decision.delay, options.signal);
  }
}
