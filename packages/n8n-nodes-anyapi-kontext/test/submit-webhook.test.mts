// Submit's Webhook URL option (fal_webhook), in a hand-built n8n context against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { NodeOperationError } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { binaryItem, fakeContext, imageJobParameters } from './fake-context.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
let emulator: RunningEmulator;
let receiver: http.Server;
const deliveries: { url: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, jobDuration: 30, seed: 3 });
	receiver = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			deliveries.push({ url: request.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
			response.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
	await emulator?.stop();
	await new Promise((resolve) => receiver?.close(resolve));
});

async function submit(webhookUrl: string) {
	const context = fakeContext({
		items: [binaryItem(PNG, 'image/png', 'a.png')],
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		parameters: imageJobParameters('submit', { options: { webhookUrl } }),
	});
	return await new AnyApiKontext().execute.call(context);
}

describe('Image > Submit > Webhook URL', () => {
	it('is sent as fal_webhook: AnyAPI POSTs the outcome there, query string and all', async () => {
		// n8n 2.x resume URLs carry a signature in the query: it must arrive intact.
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook-waiting/7?signature=abc123`;
		const item = (await submit(url))[0]![0]!;
		const requestId = String(item.json.requestId);
		const deadline = Date.now() + 15_000;
		while (!deliveries.some((d) => d.body.request_id === requestId)) {
			if (Date.now() > deadline) throw new Error('no webhook delivery');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const delivery = deliveries.find((d) => d.body.request_id === requestId)!;
		expect(delivery.url).toBe('/webhook-waiting/7?signature=abc123');
		expect(delivery.body).toMatchObject({ request_id: requestId, gateway_request_id: requestId, status: 'OK', error: null });
	});

	it('refuses a URL that is not http(s), naming the option, before anything is sent', async () => {
		emulator.resetCounters();
		const error = await submit('ftp://example.com/hook').then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Item 1: Webhook URL must be an http(s) URL (got "ftp://example.com/hook")');
		expect(emulator.counters.total).toBe(0);
	});
});
