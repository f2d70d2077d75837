import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody, type BodyLimits } from '../http/read-body.js';
import { detailReply, jsonReply, type JsonReply } from '../http/reply.js';
import type { DecodedImage } from '../images/decoded-image.js';
import { InputImageError, loadInputImage } from '../images/input-image.js';
import { Job, preciseNow } from '../jobs/job.js';
import { decideOutcome } from '../jobs/job-outcome.js';
import type { KontextJobInput } from '../jobs/job-types.js';
import { requestUrls } from '../queue-urls.js';
import type { Route, RouteContext } from '../router.js';
import type { SubmitEndpoint } from '../spec/submit-endpoints.js';
import type { ValidationIssue } from '../spec/validation-issues.js';

/**
 * `POST` on every submit path of the spec: reads the query, headers and body (parsed here, with
 * the answers fal gives for each bad one), validates the body against that endpoint's schema,
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
  const startTimeout = parseStartTimeout(request);
  if (!startTimeout.ok) return startTimeout.reply;
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
  const queuePosition = services.queue.add(job, { startTimeoutSeconds: startTimeout.value });
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
      const issue: ValidationIssue = { loc: source.loc, msg: error.message, type: error.type, ...(error.ctx ? { ctx: error.ctx } : {}) };
      return unprocessable([issue], { 'x-fal-error-type': error.type });
    }
  }
  return images;
}

/** fal's 422 body for a list of field problems. */
function unprocessable(issues: ValidationIssue[], headers?: Record<string, string>): JsonReply {
  return jsonReply(422, { detail: issues }, headers);
}

/** `?fal_webhook=<url>`: where to POST the outcome. Must be an absolute http(s) URL. */
function parseWebhookUrl(url: URL): { ok: true; value: string | undefined } | { ok: false; reply: JsonReply } {
  const value = url.searchParams.get('fal_webhook');
  if (value === null) return { ok: true, value: undefined };
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return { ok: true, value };
  return {
    ok: false,
    reply: unprocessable([{ loc: ['query', 'fal_webhook'], msg: 'Input should be a valid URL', type: 'url_parsing', input: value }]),
  };
}

/**
 * `x-fal-request-timeout: <seconds>`: fal's deadline for the job to start (the queue wait), not
 * to finish; fal documents its minimum as above 0.1 s. Anything else is a 422 naming the header.
 */
function parseStartTimeout(request: IncomingMessage): { ok: true; value: number | undefined } | { ok: false; reply: JsonReply } {
  const raw = request.headers['x-fal-request-timeout'];
  if (raw === undefined) return { ok: true, value: undefined };
  const text = Array.isArray(raw) ? (raw[0] ?? '') : raw;
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds) && seconds > 0.1) return { ok: true, value: seconds };
  return {
    ok: false,
    reply: unprocessable([
      {
        loc: ['header', 'x-fal-request-timeout'],
        msg: 'Input should be a number of seconds greater than 0.1',
        type: 'greater_than',
        input: text,
        ctx: { gt: 0.1 },
      },
    ]),
  };
}

/** The JSON body, or the answer FastAPI gives for a missing, oversized or malformed one. */
async function parseJsonBody(
  request: IncomingMessage,
  limits: BodyLimits,
): Promise<{ ok: true; value: unknown } | { ok: false; reply: JsonReply }> {
  let text: string;
  try {
    text = await readBody(request, limits);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, reply: detailReply(413, error.message) };
    throw error;
  }
  if (text.trim() === '') {
    return { ok: false, reply: unprocessable([{ loc: ['body'], msg: 'Field required', type: 'missing', input: null }]) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    return {
      ok: false,
      reply: unprocessable([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid', ctx: { error: reason } }]),
    };
  }
}
