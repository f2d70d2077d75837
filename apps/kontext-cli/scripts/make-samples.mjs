// Draws the sample images that `pnpm demo` edits. They are generated (not photos) so the repo
// ships no third-party pictures; run once with `pnpm make-samples` and commit the results.
// Pure JS encoders keep this free of native dependencies.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

const samplesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
mkdirSync(samplesDir, { recursive: true });

const mix = (a, b, t) => a + (b - a) * Math.min(1, Math.max(0, t));
const mixRgb = (a, b, t) => [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)];
// Cheap deterministic value noise so the mountains and wood grain are not perfectly smooth.
const noise = (x) => Math.sin(x * 1.7) * 0.5 + Math.sin(x * 4.3 + 1.1) * 0.3 + Math.sin(x * 11.9 + 2.3) * 0.2;

function drawMountainLake(width, height) {
  const rgba = Buffer.alloc(width * height * 4);
  const horizon = Math.round(height * 0.62);
  const sun = { x: width * 0.68, y: height * 0.36, r: height * 0.09 };
  const ridge = (x, scale, base) => base - scale * (0.55 + 0.45 * noise(x / width * 6));
  const paint = (x, y) => {
    if (y < horizon) {
      let c = mixRgb([46, 84, 160], [250, 190, 140], y / horizon);
      const d = Math.hypot(x - sun.x, y - sun.y);
      if (d < sun.r) c = [255, 236, 190];
      else c = mixRgb(c, [255, 220, 170], Math.max(0, 1 - (d - sun.r) / (sun.r * 3)) * 0.6);
      const far = ridge(x + 300, height * 0.22, horizon);
      const near = ridge(x, height * 0.16, horizon + 4);
      if (y > near) return mixRgb([52, 74, 70], [34, 52, 48], (y - near) / (horizon - near + 1));
      if (y > far) return mixRgb([112, 116, 160], [92, 98, 140], (y - far) / (horizon - far + 1));
      return c;
    }
    // The lake mirrors the scene above, darker and rippled.
    const mirrored = horizon - (y - horizon) - 1;
    const ripple = Math.round(Math.sin(y * 0.9) * 2 * ((y - horizon) / (height - horizon)));
    const [r, g, b] = paint(Math.min(width - 1, Math.max(0, x + ripple)), Math.max(0, mirrored));
    return mixRgb([r, g, b], [30, 50, 80], 0.35 + 0.3 * ((y - horizon) / (height - horizon)));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const i = (y * width + x) * 4;
      rgba[i] = r;
      rgba[i + 1] = g;
      rgba[i + 2] = b;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

function drawApple(width, height) {
  const rgba = Buffer.alloc(width * height * 4);
  const table = height * 0.66;
  const apple = { x: width * 0.5, y: height * 0.5, r: width * 0.22 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c;
      if (y < table) c = mixRgb([236, 228, 214], [210, 198, 180], y / table);
      else {
        const grain = 0.5 + 0.5 * noise(y * 0.35 + noise(x * 0.02) * 3);
        c = mixRgb([150, 98, 58], [118, 74, 42], grain);
      }
      // Soft shadow under the apple.
      const shadow = Math.hypot((x - apple.x) / 1.6, (y - (apple.y + apple.r * 0.95)) * 2.2);
      if (shadow < apple.r) c = mixRgb(c, [60, 40, 30], 0.45 * (1 - shadow / apple.r));
      const dx = x - apple.x;
      const dy = (y - apple.y) * 1.08;
      const d = Math.hypot(dx, dy);
      if (d < apple.r) {
        const light = Math.max(0, 1 - Math.hypot(dx + apple.r * 0.35, dy + apple.r * 0.35) / (apple.r * 1.5));
        c = mixRgb([130, 18, 24], [236, 64, 56], light * 1.3);
        const highlight = Math.hypot(dx + apple.r * 0.4, dy + apple.r * 0.42);
        if (highlight < apple.r * 0.12) c = mixRgb(c, [255, 240, 235], 1 - highlight / (apple.r * 0.12));
      }
      // Stem and leaf.
      const stemX = apple.x + (apple.y - apple.r - y) * 0.25;
      if (y > apple.y - apple.r * 1.3 && y < apple.y - apple.r * 0.85 && Math.abs(x - stemX) < 3) c = [88, 56, 30];
      const lx = x - (apple.x + apple.r * 0.32);
      const ly = y - (apple.y - apple.r * 1.08);
      if ((lx * 0.8 + ly * 0.6) ** 2 / 900 + (-lx * 0.6 + ly * 0.8) ** 2 / 120 < 1) c = [74, 142, 58];
      const i = (y * width + x) * 4;
      rgba[i] = c[0];
      rgba[i + 1] = c[1];
      rgba[i + 2] = c[2];
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

const lake = { width: 640, height: 427 };
const lakeJpeg = jpeg.encode({ ...lake, data: drawMountainLake(lake.width, lake.height) }, 82);
writeFileSync(join(samplesDir, 'mountain-lake.jpg'), lakeJpeg.data);

const applePng = new PNG({ width: 320, height: 320 });
applePng.data = drawApple(320, 320);
writeFileSync(join(samplesDir, 'red-apple.png'), PNG.sync.write(applePng, { colorType: 2 }));

console.log(`wrote ${samplesDir}/mountain-lake.jpg (${lakeJpeg.data.length} bytes), red-apple.png`);
