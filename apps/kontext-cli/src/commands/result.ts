import { resolve } from 'node:path';
import { detectImageType, downloadImage } from '@anyapi-kontext/core';
import { commonOptions, type CommandSpec } from '../command.js';
import { ensureOutDir, writeOutputFile } from '../output-files.js';
import { requestIdFrom, withConnection, writeJson } from './with-connection.js';

export const resultCommand: CommandSpec = {
  name: 'result',
  summary: "Show a finished job's images and seed; --out saves the images",
  positionals: '<request id>',
  options: {
    out: { type: 'string', short: 'o', valueName: '<dir>', description: 'save the images there as <request id>.<n>.<ext>' },
    force: { type: 'boolean', description: 'overwrite existing files' },
    ...commonOptions,
  },
  details: ['Results expire on the server after a while: save the ones you want to keep.'],
  async run({ values, positionals }, context) {
    const requestId = requestIdFrom(positionals, resultCommand);
    return withConnection(context, async ({ client }) => {
      const { data } = await client.result(requestId, { signal: context.signal });
      const saved: string[] = [];
      if (typeof values.out === 'string') {
        const outDir = resolve(context.cwd, values.out);
        await ensureOutDir(outDir);
        for (const [i, image] of data.images.entries()) {
          const download = await downloadImage(image.url, { signal: context.signal });
          const extension = detectImageType(download.bytes)?.extension ?? download.extension;
          const path = resolve(outDir, `${requestId}.${i + 1}.${extension}`);
          await writeOutputFile(path, download.bytes, values.force === true).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'EEXIST') throw new Error(`${path} already exists; pass --force to overwrite`);
            throw error;
          });
          saved.push(path);
        }
      }
      if (values.json === true) {
        writeJson(context, { requestId, ...data, ...(saved.length ? { saved } : {}) });
        return 0;
      }
      context.stdout.write(`${requestId}: ${data.images.length} image(s), seed ${data.seed ?? 'unknown'}\n`);
      data.images.forEach((image, i) => {
        const where = saved[i] ?? (image.url.startsWith('data:') ? '(inline data URL; use --out to save)' : image.url);
        context.stdout.write(`  ${i + 1}. ${image.width ?? '?'}x${image.height ?? '?'} ${image.content_type ?? ''} ${where}\n`);
      });
      return 0;
    });
  },
};
