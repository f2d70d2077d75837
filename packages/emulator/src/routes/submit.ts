import { jsonReply } from '../http/reply.js';
import type { DecodedImage } from '../images/decoded-image.js';
import { InputImageError, loadInputImage } from '../images/input-image.js';
import type { JsonReply } from '../http/reply.js';
import { Job, preciseNow } from '../jobs/job.js';
import { decideOutcome } from '../jobs/job-outcome.js';
import type { KontextJobInput } from '../jobs/job-types.js';
import { requestUrls } from '../queue-urls.js';
import type { Route, RouteContext } from '../router.js';
import type { SubmitEndpoint } from '../spec/submit-endpoints.js';
import { parseJsonBody, parseRequestTimeout, parseWebhookUrl, unprocessable } from './submit-parsing.js';

/**
 * `POST` on every submit path of the spec: validates the body against that endpoint's schema,
 * loads the input images (none, `image_url` or every `image_urls` entry), queues the job and
 * answers AnyAPI's ticket, whose URLs point at fal.
 */
export function submitRoute(endpoints: SubmitEndpoint[]): Route {
  const byPath = new Map(endpoints.map((endpoint) => [endpoint.path, endpoint]));
  return {
    name: 'submit',
    method: 'POST',
    requiresAuth: true,
    match: (pathname) => (byPath.has(pathname) ? { endpoint: pathname } : undefined),
    handle: (context) => submit(context, byPath.get(context.params.endpoint ?? '') as SubmitEndpoint),
  };
}

async function submit(context: RouteContext, endpoint: SubmitEndpoint) {
  const receivedAt = preciseNow();
  const { services, request, url } = context;
  const webhook = parseWebhookUrl(url);
  if (!webhook.ok) return webhook.reply;
  const timeout = parseRequestTimeout(request);
  if (!timeout.ok) return timeout.reply;
  const body = await parseJsonBody(request, { maxBytes: services.options.maxBodyBytes, uplink: services.uplink });
  if (!body.ok) return body.reply;

  const validation = services.validator.validate(endpoint.path, body.value);
  if (!validation.ok) return unprocessable(validation.issues);
  const input = validation.value as KontextJobInput;

  const sourceImages = await loadSourceImages(endpoint, input, services.options.downloadTimeout);
  if (!Array.isArray(sourceImages)) return sourceImages;

  const job = new Job({
    id: services.random.uuid(),
    endpoint,
    input,
    submittedBody: body.value as Record<string, unknown>,
    sourceImages,
    seed: input.seed ?? services.random.uint32(),
    outcome: decideOutcome(input, services.options.jobOutcome),
    webhookUrl: webhook.value,
    receivedAt,
  });
  const queuePosition = services.queue.add(job, { timeoutSeconds: timeout.value });
  services.counters.increment('submits');
  return jsonReply(
    200,
    { status: 'IN_QUEUE', request_id: job.id, ...requestUrls(job.appId, job.id), logs: null, metrics: {}, queue_position: queuePosition },
    { 'x-fal-request-id': job.id },
  );
}

/** The images the endpoint's model takes, loaded in order; the first that fails is fal's 422. */
async function loadSourceImages(
  endpoint: SubmitEndpoint,
  input: KontextJobInput,
  downloadTimeout: number,
): Promise<DecodedImage[] | JsonReply> {
  const sources: { url: string; field: string; loc: (string | number)[] }[] =
    endpoint.imageInput === 'single' && typeof input.image_url === 'string'
      ? [{ url: input.image_url, field: 'image_url', loc: ['body', 'image_url'] }]
      : endpoint.imageInput === 'multiple' && Array.isArray(input.image_urls)
        ? input.image_urls.map((url, index) => ({ url, field: `image_urls[${index}]`, loc: ['body', 'image_urls', index] }))
        : [];
  const images: DecodedImage[] = [];
  for (const source of sources) {
    try {
      images.push(await loadInputImage(source.url, downloadTimeout, source.field));
    } catch (error) {
      if (!(error instanceof InputImageError)) throw error;
      return unprocessable([{ loc: source.loc, msg: error.message, type: error.type }], { 'x-fal-error-type': error.type });
    }
  }
  return images;
}
