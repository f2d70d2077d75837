/**
 * A tiny 5x7 bitmap font drawn as SVG rectangles. The stamp on output images must render the
 * same on every machine, and a CI box may have no system fonts for SVG <text>.
 */
const GLYPHS: Record<string, readonly string[]> = {
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
  '#': ['.#.#.', '.#.#.', '#####', '.#.#.', '#####', '.#.#.', '.#.#.'],
  '/': ['....#', '....#', '...#.', '..#..', '.#...', '#....', '#....'],
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  N: ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
};

const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** One blank column between letters. */
const CELL_WIDTH = GLYPH_WIDTH + 1;

export function textWidth(text: string, scale: number): number {
  return Math.max(0, text.length * CELL_WIDTH - 1) * scale;
}

/** SVG rectangles spelling `text` (unknown characters render as blanks). */
export function textToSvgRects(text: string, left: number, top: number, scale: number, fill: string): string {
  const rects: string[] = [];
  [...text.toUpperCase()].forEach((character, index) => {
    const glyph = GLYPHS[character] ?? GLYPHS[' '] ?? [];
    const glyphLeft = left + index * CELL_WIDTH * scale;
    glyph.forEach((row, rowIndex) => {
      // Merge runs of lit pixels on a row into one rectangle to keep the SVG small.
      for (const run of row.matchAll(/#+/g)) {
        const x = glyphLeft + (run.index ?? 0) * scale;
        const y = top + rowIndex * scale;
        rects.push(`<rect x="${x}" y="${y}" width="${run[0].length * scale}" height="${scale}" fill="${fill}"/>`);
      }
    });
  });
  return rects.join('');
}
