import { describe, expect, it } from 'vitest';
import { jsonBody, readJsonSharing, readText } from '../src/node/large-bodies.js';
import { LONG_STRING, longStrings } from '../src/transport/long-strings.js';

const longDataUrl = (char: string) => `data:image/png;base64,${char.repeat(LONG_STRING)}`;
const BIG = longDataUrl('A');
const OTHER = longDataUrl('B');

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The bytes of `text` as a stream cut into pieces of `size` bytes. */
function streamOf(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
}

describe('jsonBody', () => {
  it('is the plain JSON text for a body without long strings', () => {
    const body = { prompt: 'A hat', image_url: 'https://example.com/a.png', num_images: 2 };
    expect(jsonBody(body)).toBe(JSON.stringify(body));
  });

  it('streams exactly the JSON text, with its length, when the body holds long strings', async () => {
    const body = { prompt: 'Ünïcode "quoted" \\ and more', image_urls: [BIG, OTHER], image_url: BIG, seed: 7 };
    const serialized = jsonBody(body);
    expect(typeof serialized).toBe('object');
    const { stream, length } = serialized as Exclude<typeof serialized, string>;
    const sent = await bytesOf(stream);
    expect(sent.toString('utf8')).toBe(JSON.stringify(body));
    expect(length).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it('leaves a long string that needs escaping to JSON.stringify', () => {
    const body = { prompt: `"${'x'.repeat(LONG_STRING)}"` };
    expect(jsonBody(body)).toBe(JSON.stringify(body));
  });
});

describe('readText', () => {
  it('decodes a stream whose multi-byte characters are cut between chunks', async () => {
    const text = `{"prompt":"${'é€😀'.repeat(50)}"}`;
    expect(await readText(streamOf(text, 3))).toBe(text);
    expect(await readText(null)).toBe('');
  });
});

describe('readJsonSharing', () => {
  const answers = {
    echo: { images: [{ url: 'https://x/y.png' }], prompt: 'p "q" \\ é', request: { prompt: 'p', image_url: BIG } },
    twoEchoes: { request: { image_urls: [OTHER, BIG] }, again: BIG },
    // Strings that start like a known one but are not it, or are longer, or hold escapes.
    nearMisses: {
      prefix: BIG.slice(0, 1000),
      longer: `${BIG}A`,
      escaped: `${BIG.slice(0, 500)}\n${BIG.slice(500)}`,
      empty: '',
      unicode: 'ü'.repeat(100),
    },
    notAnObject: [1, 'two', null, true],
  };

  for (const [name, answer] of Object.entries(answers)) {
    for (const chunkSize of [1, 7, 4096, 1 << 20]) {
      it(`parses "${name}" as JSON.parse does, in chunks of ${chunkSize} bytes`, async () => {
        const text = JSON.stringify(answer);
        expect(await readJsonSharing(streamOf(text, chunkSize), [BIG, OTHER])).toEqual(JSON.parse(text));
      });
    }
  }

  it('parses as usual with nothing known, and an empty body as undefined', async () => {
    const text = JSON.stringify(answers.echo);
    expect(await readJsonSharing(streamOf(text, 100), [])).toEqual(answers.echo);
    expect(await readJsonSharing(streamOf('', 10), [BIG])).toBeUndefined();
  });
});

describe('longStrings', () => {
  it('finds the long data URLs of a submit body, nested in lists too', () => {
    expect(longStrings({ prompt: 'p', image_url: BIG, image_urls: ['https://x/y.png', OTHER] })).toEqual([BIG, OTHER]);
    expect(longStrings({ prompt: 'p', image_url: 'https://x/y.png' })).toEqual([]);
    expect(longStrings(undefined)).toEqual([]);
  });
});
