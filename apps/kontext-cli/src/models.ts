import { defaultEndpoint, submitEndpoints, type FieldSchema, type SubmitPath } from '@anyapi-kontext/core';
import { inputSchemas } from '@anyapi-kontext/core/portable';
import { UsageError } from './command.js';

/** How a model takes images: none (text to image), one (`image_url`) or several (`image_urls`). */
export type ImageInput = 'none' | 'single' | 'multiple';

export interface Model {
  path: SubmitPath;
  name: string;
  imageInput: ImageInput;
  /** The input schema's fields, the image field among them. */
  properties: Record<string, FieldSchema & { title?: string; description?: string; 'x-fal-extra'?: boolean }>;
  required: string[];
}

interface EndpointMetadata {
  inputSchema: string;
  displayName?: string;
  imageInput?: ImageInput;
}

/** Every model of the spec, in the spec's order. */
export const models: Model[] = (Object.entries(submitEndpoints) as [SubmitPath, EndpointMetadata][]).map(([path, endpoint]) => {
  const schema = (inputSchemas as Record<string, unknown>)[endpoint.inputSchema] as { properties: Model['properties']; required?: string[] };
  const imageInput: ImageInput =
    endpoint.imageInput ?? (schema.properties.image_urls ? 'multiple' : schema.properties.image_url ? 'single' : 'none');
  return { path, name: endpoint.displayName ?? path, imageInput, properties: schema.properties, required: [...(schema.required ?? [])] };
});

export const defaultModel: Model = models.find((model) => model.path === defaultEndpoint)!;

/** The field a model's images go in. */
export function imageFieldOf(model: Model): 'image_url' | 'image_urls' | undefined {
  return model.imageInput === 'single' ? 'image_url' : model.imageInput === 'multiple' ? 'image_urls' : undefined;
}

const squeeze = (text: string) => text.toLowerCase().replace(/^\/+/, '').replace(/\s+/g, ' ').trim();

/**
 * The model `text` names: its path (`/fal-ai/flux-pro/kontext/max`, the leading slash optional),
 * its name (`"FLUX.1 Kontext [max]"`, any case), or the end of its path when only one model's
 * path ends so (`max/multi`, `text-to-image`). Anything else is a UsageError listing the choices.
 */
export function resolveModel(text: string | undefined): Model {
  if (text === undefined) return defaultModel;
  const wanted = squeeze(text);
  const exact = models.find((model) => squeeze(model.path) === wanted || squeeze(model.name) === wanted);
  if (exact) return exact;
  const bySuffix = wanted ? models.filter((model) => squeeze(model.path).endsWith(`/${wanted}`)) : [];
  if (bySuffix.length === 1) return bySuffix[0]!;
  const choices = models.map((model) => `${model.path} (${model.name})`).join(', ');
  const reason = bySuffix.length > 1 ? 'names more than one model' : 'is not a model';
  throw new UsageError(`--model ${JSON.stringify(text)} ${reason}; the models are ${choices} (see: kontext models)`);
}

export const imageInputWords: Record<ImageInput, string> = {
  none: 'no image (text to image)',
  single: 'one image',
  multiple: 'several images',
};
