import { editImage, type OutputFormat } from '../images/edit-image.js';
import { outputSize } from '../images/output-size.js';
import type { FileStore } from '../files/file-store.js';
import { preciseNow, type Job } from './job.js';
import type { KontextOutput, OutputImage } from './job-types.js';

export interface OutputTarget {
  files: FileStore;
  /** Base of the image URLs, without a trailing slash. */
  filesBaseUrl: string;
}

/** Produces the job's images and the output body fal returns for them. */
export async function renderOutput(job: Job, target: OutputTarget): Promise<KontextOutput> {
  const source = job.sourceImage;
  if (!source) throw new Error(`Job ${job.id} has no source image left to edit`);
  const format: OutputFormat = job.input.output_format === 'png' ? 'png' : 'jpeg';
  const size = outputSize(source, job.input.aspect_ratio);
  const count = job.input.num_images ?? 1;
  const images: OutputImage[] = [];
  for (let index = 0; index < count; index += 1) {
    const edited = await editImage({ source, ...size, format, seed: job.seed, index });
    // sync_mode asks for data URIs, and fal then keeps nothing in its file store.
    const url = job.input.sync_mode
      ? `data:${edited.contentType};base64,${edited.bytes.toString('base64')}`
      : target.filesBaseUrl +
        target.files.put(job.id, `${index}.${edited.extension}`, { bytes: edited.bytes, contentType: edited.contentType });
    images.push({ url, width: edited.width, height: edited.height, content_type: edited.contentType });
  }
  return {
    images,
    seed: job.seed,
    has_nsfw_concepts: images.map(() => false),
    prompt: job.input.prompt,
    timings: { inference: job.startedAt === undefined ? 0 : (preciseNow() - job.startedAt) / 1000 },
    request: job.submittedBody,
  };
}
