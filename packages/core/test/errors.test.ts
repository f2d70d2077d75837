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
