/**
 * The size of an output image: the input's, or, with `aspect_ratio`, the same pixel area
 * reshaped to that ratio (the model keeps roughly the input's megapixels).
 */
export function outputSize(
  input: { width: number; height: number },
  aspectRatio: string | undefined,
): { width: number; height: number } {
  const ratio = parseAspectRatio(aspectRatio);
  if (ratio === undefined) return { width: input.width, height: input.height };
  const area = input.width * input.height;
  const width = Math.max(1, Math.round(Math.sqrt(area * ratio)));
  const height = Math.max(1, Math.round(width / ratio));
  return { width, height };
}

function parseAspectRatio(aspectRatio: string | undefined): number | undefined {
  const match = aspectRatio === undefined ? null : /^(\d+):(\d+)$/.exec(aspectRatio);
  if (!match) return undefined;
  const ratio = Number(match[1]) / Number(match[2]);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined;
}
