import { resolve } from 'node:path';
import { saveResultImages } from '@anyapi-kontext/core';
import { commonOptions, UsageError, type CommandSpec } from '../command.js';
import { ensureOutDir } from '../output-files.js';
import { namingModelPath } from '../describe-error.js';
import { jobModelPathOption, jobRefFrom, withConnection, writeJson } from './with-connection.js';

export const resultCommand: CommandSpec = {
  name: 'result',
  summary: "Show a finished job's images and seed; --out saves the images",
  positionals: '<request id>',
  options: {
    out: { type: 'string', short: 'o', valueName: '<dir>', description: 'save the images there as <request id>.<n>.<ext>' },
    force: { type: 'boolean', description: 'overwrite existing files' },
    'model-path': jobModelPathOption,
    ...commonOptions,
  },
  details: ['Results expire on the server after a while: save the ones you want to keep.'],
  async run(parsed, context) {
    const { values } = parsed;
    const { requestId, ref, modelPath } = jobRefFrom(parsed, resultCommand);
    return withConnection(context, async ({ client }) => {
      const { data } = await namingModelPath(modelPath, () => client.result(ref, { signal: context.signal }));
      const saved: string[] = [];
      if (typeof values.out === 'string') {
        const outDir = resolve(context.cwd, values.out);
        await ensureOutDir(outDir);
        const result = { requestId, data };
        const paths = await saveResultImages(result, outDir, { baseName: requestId, overwrite: values.force === true, signal: context.signal }).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code === 'EEXIST') throw new UsageError(`${error.path ?? 'an output file'} already exists; pass --force to overwrite`);
            throw error;
          },
        );
        saved.push(...paths);
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
    }, { requireKeyFor: 'result' });
  },
};
