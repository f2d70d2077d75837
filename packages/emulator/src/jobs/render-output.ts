import { composeSideBySide } from '../images/compose-images.js';
import type { DecodedImage } from '../images/decoded-image.js';
import { drawImage } from '../images/draw-image.js';
import { editImage, type EditedImage, type OutputFormat } from '../images/edit-image.js';
import { outputSize } from '../images/output-size.js';
import type { FileStore } from '../files/file-store.js';
import { preciseNow, type Job } from './job.js';
import { promptOf, type KontextOutput, type OutputImage } from './job-types.js';

export interface OutputTarget {
  files: FileStore;
  /** Base of the image URLs, without a trailing slash. */
  filesBaseUrl: string;
}

/** fal's text-to-image default. */
const DRAWN_ASPECT_RATIO = '1:1';

type Render = (index: number) => Promise<EditedImage>;

/**
 * Makes the job's images the way its model works: an edit of the one input image, an edit of
 * several inputs composed side by side, or a picture drawn from the prompt alone.
 */
export async function renderImages(job: Job): Promise<EditedImage[]> {
  const sources = job.sourceImages;
  if (!sources) throw new Error(`Job ${job.id} has no source images left`);
  const render = await rendererFor(job, sources);
  const count = job.input.num_images ?? 1;
  const images: EditedImage[] = [];
  for (let index = 0; index < count; index += 1) images.push(await render(index));
  return images;
}

/** The output body fal returns for the job's images, once it ends; the images go in the file store. */
export function outputFor(job: Job, edited: readonly EditedImage[], target: OutputTarget): KontextOutput {
  const images: OutputImage[] = edited.map((image, index) => {
    // sync_mode asks for data URIs, and fal then keeps nothing in its file store.
    const url = job.input.sync_mode
      ? `data:${image.contentType};base64,${image.bytes.toString('base64')}`
      : target.filesBaseUrl +
        target.files.put(job.id, `${index}.${image.extension}`, { bytes: image.bytes, contentType: image.contentType });
    return { url, width: image.width, height: image.height, content_type: image.contentType };
  });
  return {
    images,
    seed: job.seed,
    has_nsfw_concepts: images.map(() => false),
    prompt: promptOf(job.input),
    timings: { inference: job.startedAt === undefined ? 0 : (preciseNow() - job.startedAt) / 1000 },
    request: job.submittedBody,
  };
}

async function rendererFor(job: Job, sources: DecodedImage[]): Promise<Render> {
  const format: OutputFormat = job.input.output_format === 'png' ? 'png' : 'jpeg';
  const { seed } = job;
  if (sources.length === 0) {
    const size = outputSize({ width: 1, height: 1 }, job.input.aspect_ratio ?? DRAWN_ASPECT_RATIO);
    const prompt = promptOf(job.input);
    return (index) => drawImage({ prompt, ...size, format, seed, index });
  }
  const source = await composeSideBySide(sources);
  const size = outputSize(source, job.input.aspect_ratio);
  return (index) => editImage({ source, ...size, format, seed, index });
}
