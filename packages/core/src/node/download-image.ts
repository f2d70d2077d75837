import { ApiError, CancelledError, ConnectionError, type FieldError, InputError } from '../errors.js';
import { decodeDataUrl, describeReceivedImage, type ReceivedImage } from '../images/received-image.js';
import { resolveRetryPolicy, type RetryPolicy } from '../retry-policy.js';
import { decideRetry } from '../retry.js';
import type { OutputImage } from '../types.js';
import { argumentProblem, isHttpUrl, isOptionsObject, readOptions, rules, throwIfProblems } from '../validation/check-arguments.js';
import { environmentFetch } from './proxy-fetch.js';
import { nodeSleep } from './sleep.js';

/** `contentType` and `extension` come from the bytes when they are a known image type. */
export type DownloadedImage = ReceivedImage;

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

export const DOWNLOAD_OPTION_RULES = {
  fetch: { allowed: 'a fetch function', test: (value: unknown) => typeof value === 'function' },
  signal: rules.signal,
  retry: { allowed: 'retry options', test: () => true },
};

/** Checks download options, before anything is fetched; the retry policy is resolved too. */
export function checkDownloadOptions(options: unknown, problems: FieldError[]): { fetch?: typeof fetch; signal?: AbortSignal; policy: RetryPolicy } {
  const values = readOptions('options', options, DOWNLOAD_OPTION_RULES, problems) as DownloadOptions;
  let policy: RetryPolicy | undefined;
  try {
    policy = resolveRetryPolicy(values.retry);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.fieldErrors);
  }
  return { ...values, policy: policy! };
}

const IMAGE_ALLOWED = "an http(s) or data: URL, or an image of a result (an object with such a 'url')";

/** The URL of `image`, or a problem naming the argument. */
export function imageUrlOf(image: unknown, field: string): string | FieldError {
  let url: unknown = image;
  if (isOptionsObject(image)) {
    try {
      url = image.url;
    } catch {
      url = undefined;
    }
  }
  if (typeof url === 'string' && (url.startsWith('data:') || isHttpUrl(url))) return url;
  return argumentProblem(field, IMAGE_ALLOWED, image === url ? image : url);
}

/**
 * Fetches a result image (fal's file host URL, or a data URI from sync_mode) to bytes.
 * Results expire on the server, so save what you need. An abort rejects with CancelledError.
 */
export async function downloadImage(image: string | OutputImage, options: DownloadOptions = {}): Promise<DownloadedImage> {
  const problems: FieldError[] = [];
  const url = imageUrlOf(image, 'image');
  if (typeof url !== 'string') problems.push(url);
  const checked = checkDownloadOptions(options, problems);
  throwIfProblems(problems);
  return fetchImage(url as string, checked);
}

/** Downloads checked arguments; shared with saveResultImages. */
export async function fetchImage(
  url: string,
  options: { fetch?: typeof fetch; signal?: AbortSignal; policy: RetryPolicy },
): Promise<DownloadedImage> {
  const { signal, policy } = options;
  const shown = url.startsWith('data:') ? 'a data URI' : url;
  const aborted = () => new CancelledError(undefined, false, { message: `Download of ${shown} was aborted.` });
  if (url.startsWith('data:')) {
    const decoded = decodeDataUrl(url);
    if (!decoded) throw new InputError([{ field: 'image', message: 'image is a data URI that cannot be read' }]);
    return decoded;
  }
  const doFetch = options.fetch ?? environmentFetch();
  for (let retry = 0; ; retry += 1) {
    if (signal?.aborted) throw aborted();
    let response: Response;
    try {
      response = await doFetch(url, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw aborted();
      const decision = decideRetry({ kind: 'network-error', error }, 'idempotent', retry, policy, Date.now());
      if (!decision.retry) throw new ConnectionError(`Download of ${url} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      await nodeSleep(decision.delay, signal).catch(() => undefined);
      continue;
    }
    const headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    if (response.ok) {
      try {
        return describeReceivedImage(new Uint8Array(await response.arrayBuffer()), headers['content-type']);
      } catch (error) {
        if (signal?.aborted) throw aborted();
        throw new ConnectionError(`Download of ${url} broke off: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
    }
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
    await nodeSleep(decision.delay, signal).catch(() => undefined);
  }
}
