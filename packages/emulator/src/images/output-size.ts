/**
 * The output sizes FLUX.1 Kontext works at: about one megapixel (1024 x 1024 and its 16 other
 * shapes, sides multiples of 16) from 3:7 to 7:3. Black Forest Labs' own code lists them
 * (`PREFERED_KONTEXT_RESOLUTIONS` in black-forest-labs/flux, src/flux/util.py), and their
 * Kontext pipeline resizes its input to the one nearest the input's aspect ratio; BFL's API
 * documents Kontext's output as about 1 MP whatever the input's size, with `aspect_ratio`
 * from 21:9 to 9:21.
 */
export const KONTEXT_RESOLUTIONS: readonly (readonly [width: number, height: number])[] = [
  [672, 1568],
  [688, 1504],
  [720, 1456],
  [752, 1392],
  [800, 1328],
  [832, 1248],
  [880, 1184],
  [944, 1104],
  [1024, 1024],
  [1104, 944],
  [1184, 880],
  [1248, 832],
  [1328, 800],
  [1392, 752],
  [1456, 720],
  [1504, 688],
  [1568, 672],
];

/**
 * The size of an output image: the Kontext resolution nearest to `aspect_ratio` when one is
 * asked for, else to the input's aspect ratio. Never the input's own size: a 24 MP photo and a
 * 64 x 48 icon both come back at about 1 MP.
 */
export function outputSize(
  input: { width: number; height: number },
  aspectRatio: string | undefined,
): { width: number; height: number } {
  const ratio = parseAspectRatio(aspectRatio) ?? input.width / input.height;
  let best = KONTEXT_RESOLUTIONS[0] as readonly [number, number];
  for (const candidate of KONTEXT_RESOLUTIONS) {
    if (Math.abs(candidate[0] / candidate[1] - ratio) < Math.abs(best[0] / best[1] - ratio)) best = candidate;
  }
  return { width: best[0], height: best[1] };
}

function parseAspectRatio(aspectRatio: string | undefined): number | undefined {
  const match = aspectRatio === undefined ? null : /^(\d+):(\d+)$/.exec(aspectRatio);
  if (!match) return undefined;
  const ratio = Number(match[1]) / Number(match[2]);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined;
}
