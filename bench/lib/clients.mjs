// The three clients the bench compares, each behind one `run(input, lengthMs)` that resolves
// when the job's result is in hand. How late each acted on the job's end is read from the
// emulator (its job-end time and the first result request), never from the client's clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { createKontextClient } from '@anyapi-kontext/core';
import { createFalClient } from '@fal-ai/client';

export const ENDPOINT = 'fal-ai/flux-pro/kontext';
const FAL_QUEUE = 'https://queue.fal.run';

/** Our client, as users get it: adaptive polling unless `pollInterval` is given. */
export function ourClient(emulator, { stream, pollInterval } = {}) {
  const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  return {
    run: (input) => kontext.run(input, { stream, ...(pollInterval === undefined ? {} : { pollInterval }) }),
  };
}

/**
 * fal's own client with its defaults (status polled every 500 ms; `stream` asks for its
 * streaming mode instead), pointed at the emulator
 * by a request middleware that swaps the host and sends AnyAPI's bearer auth.
 */
export function falClient(emulator, { stream = false } = {}) {
  const fal = createFalClient({
    requestMiddleware: async (request) => ({
      ...request,
      url: request.url.replace(FAL_QUEUE, emulator.url),
      headers: { ...request.headers, Authorization: `Bearer ${emulator.apiKey}` },
    }),
  });
  // Its streaming mode must be asked for; `connectionMode: 'server'` uses the key, not a browser token.
  const mode = stream ? { mode: 'streaming', connectionMode: 'server' } : {};
  return { run: (input) => fal.subscribe(ENDPOINT, { input, ...mode }) };
}

/**
 * The floor: bare fetch with nothing a real client could know beaten. Polling: it knows each
 * job's length (the bench wrote it into the prompt) and asks once, right when the job ends
 * (then every 5 ms until it has). Stream: it reads the status stream until COMPLETED.
 */
export function floorClient(emulator, { stream }) {
  const headers = { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' };
  const get = (path) => fetch(`${emulator.url}${path}`, { headers });
  return {
    async run(input, lengthMs) {
      const submitted = await fetch(`${emulator.url}/${ENDPOINT}`, { method: 'POST', headers, body: JSON.stringify(input) });
      const ticket = await submitted.json();
      const path = `/fal-ai/flux-pro/requests/${ticket.request_id}`;
      if (stream) {
        const response = await get(`${path}/status/stream`);
        const decoder = new TextDecoder();
        let text = '';
        for await (const chunk of response.body) {
          text += decoder.decode(chunk, { stream: true });
          if (/"status":"(COMPLETED|FAILED)"/.test(text)) break;
        }
      } else {
        await sleep(lengthMs);
        while ((await (await get(`${path}/status`)).json()).status !== 'COMPLETED') await sleep(5);
      }
      await (await get(path)).json();
      return { requestId: ticket.request_id };
    },
  };
}
