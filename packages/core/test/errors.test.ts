import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  errorFromResponse,
  KontextError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnprocessableEntityError,
} from '../src/portable.js';
import { createKontextClient } from '../src/index.js';

type Client = ReturnType<typeof createKontextClient>;

describe('errorFromResponse', () => {
  it('picks the class from the status code, all of them ApiError and KontextError', () => {
    const classes = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [422, UnprocessableEntityError],
      [429, RateLimitError],
      [500, ServerError],
      [503, ServerError],
      [418, ApiError],
    ] as const;
    for (const [status, ErrorClass] of classes) {
      const error = errorFromResponse(status, undefined, {}, 'Status');
      expect(error.constructor, String(status)).toBe(ErrorClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(KontextError);
      expect(error.status).toBe(status);
    }
  });

  it("reads fal's detail[] into field errors, the error type and the message", () => {
    const body = {
      detail: [
        { loc: ['body', 'guidance_scale'], msg: 'Input should be less than or equal to 20', type: 'less_than_equal' },
        { loc: ['body', 'image_url'], msg: 'Field required', type: 'missing' },
      ],
    };
    const error = errorFromResponse(422, body, { 'x-fal-request-id': 'req-9' }, 'Submit');
    expect(error.fieldErrors).toEqual([
      { field: 'guidance_scale', message: 'guidance_scale: Input should be less than or equal to 20', type: 'less_than_equal' },
      { field: 'image_url', message: 'image_url: Field required', type: 'missing' },
    ]);
    expect(error.errorType).toBe('less_than_equal');
    expect(error.requestId).toBe('req-9');
    expect(error.message).toBe(
      'Submit failed with 422: the input was refused (guidance_scale: Input should be less than or equal to 20 (less_than_equal); image_url: Field required (missing))',
    );
  });

  it('takes a text detail, message or error field, or a plain text body, as what the server said', () => {
    expect(errorFromResponse(401, { detail: 'Invalid token' }, {}, 'Usage').detail).toBe('Invalid token');
    expect(errorFromResponse(500, { message: 'boom' }, {}, 'Status').detail).toBe('boom');
    expect(errorFromResponse(502, '  <html>bad gateway</html> ', {}, 'Status').detail).toBe('<html>bad gateway</html>');
    const bare = errorFromResponse(404, {}, {}, 'Result');
    expect(bare.detail).toBeUndefined();
    expect(bare.message).toBe('Result failed with 404: not found');
  });

  it("keeps the server's headers: error type and whether retrying may help", () => {
    const error = errorFromResponse(
      422,
      { detail: 'flagged' },
      { 'x-fal-error-type': 'content_policy_violation', 'x-fal-retryable': 'false' },
      'Result',
    );
    expect(error.errorType).toBe('content_policy_violation');
    expect(error.retryable).toBe(false);
    expect(errorFromResponse(503, undefined, {}, 'Status').retryable).toBeUndefined();
  });

  it('a hand-built ApiError reads its body the same way', () => {
    const error = new UnprocessableEntityError({
      status: 422,
      body: { detail: [{ loc: ['body', 'prompt'], msg: 'String should have at least 1 character' }] },
      headers: {},
      message: 'x',
    });
    expect(error.fieldErrors).toEqual([{ field: 'prompt', message: 'prompt: String should have at least 1 character' }]);
    expect(error.detail).toBe('prompt: String should have at least 1 character');
  });
});

describe('answers that are not what the spec declares', () => {
  // A relay's answer the client cannot read must be an ApiError naming the call, never read as
  // if it were the spec's: injected fetch answers stand in for such a relay.
  const answering = (body: unknown, status = 200): Client =>
    createKontextClient({
      apiKey: 'sk-test-answers',
      baseUrl: 'http://relay.invalid',
      fetch: async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    });

  it.each([
    ['status', { status: 'CANCELLED' }, (kontext: Client) => kontext.status('req-1'), 'Status of job req-1 got an answer that is not a queue status'],
    ['status', ['COMPLETED'], (kontext: Client) => kontext.status('req-1'), 'Status of job req-1 got an answer that is not a queue status'],
    ['result', { images: 'one' }, (kontext: Client) => kontext.result('req-1'), 'Result of job req-1 got an answer that is not a result with images'],
    ['usage', { code: true, data: 'none' }, (kontext: Client) => kontext.usage(), "Usage of the API key got an answer that is not the key's usage"],
    ['submit', { request_id: 7 }, (kontext: Client) => kontext.submit({ prompt: 'p', image_url: 'https://example.com/a.png' }), 'Submit to /fal-ai/flux-pro/kontext got an answer that is not a queue ticket'],
  ])('%s answering %j', async (_call, body, call, message) => {
    const error = await call(answering(body)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(message);
    expect((error as ApiError).body).toEqual(body);
  });

  it("a ticket with no URLs gets the job's paths on the endpoint's app, on the base URL", async () => {
    const ticket = await answering({ request_id: 'req 1' }).submit(
      { prompt: 'p', image_urls: ['https://example.com/a.png'] },
      { endpoint: '/fal-ai/flux-pro/kontext/max/multi' },
    );
    expect(ticket).toEqual({
      request_id: 'req 1',
      status: 'IN_QUEUE',
      response_url: 'http://relay.invalid/fal-ai/flux-pro/requests/req%201',
      status_url: 'http://relay.invalid/fal-ai/flux-pro/requests/req%201/status',
      cancel_url: 'http://relay.invalid/fal-ai/flux-pro/requests/req%201/cancel',
    });
  });

  it('a cancel answered with neither of the spec\'s outcomes', async () => {
    const error = await answering({ status: 'MAYBE' }, 400).cancel('req-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as ApiError).message).toMatch(/^Cancel of job req-1 failed with 400/);
  });
});
