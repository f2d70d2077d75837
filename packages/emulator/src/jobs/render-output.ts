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

/** A drawn picture's pixel area: small enough to render fast, big enough to read the prompt. */
const DRAWN_AREA = { width: 512, height: 512 };
/** fal's text-to-image default. */
const DRAWN_ASPECT_RATIO = '1:1';

type Render = (index: number) => Promise<EditedImage>;

/**
 * Produces the job's images and the output body fal returns for them, the way its model
 * works: an edit of the one input image, an edit of several inputs composed side by side, or
 * a picture drawn from the prompt alone.
 */
export async function renderOutput(job: Job, target: OutputTarget): Promise<KontextOutput> {
  const sources = job.sourceImages;
  if (!sources) throw new Error(`Job ${job.id} has no source images left`);
  const render = await rendererFor(job, sources);
  const count = job.input.num_images ?? 1;
  const images: OutputImage[] = [];
  for (let index = 0; index < count; index += 1) {
    const edited = await render(index);
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
    prompt: promptOf(job.input),
    timings: { inference: job.startedAt === undefined ? 0 : (preciseNow() - job.startedAt) / 1000 },
    request: job.submittedBody,
  };
}

async function rendererFor(job: Job, sources: DecodedImage[]): Promise<Render> {
  const format: OutputFormat = job.input.output_format === 'png' ? 'png' : 'jpeg';
  const { seed } = job;
  if (sources.length === 0) {
    const size = outputSize(DRAWN_AREA, job.input.aspect_ratio ?? DRAWN_ASPECT_RATIO);
    const prompt = promptOf(job.input);
    return (index) => drawImage({ prompt, ...size, format, seed, index });
  }
  const source = await composeSideBySide(sources);
  const size = outputSize(source, job.input.aspect_ratio);
  return (index) => editImage({ source, ...size, format, seed, index });
}
