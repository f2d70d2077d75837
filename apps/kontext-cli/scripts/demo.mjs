// `pnpm demo` (from the repo root): edits the sample images with an example prompt and writes
// the results to ./out where the command was typed. pnpm runs package scripts inside the
// package folder, so the folder the user was in comes from INIT_CWD, which pnpm sets.
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const userDir = process.env.INIT_CWD ?? process.cwd();
const samples = relative(userDir, join(packageDir, 'samples')) || '.';

const args = [
  join(packageDir, 'dist', 'bin.js'),
  'edit',
  samples,
  '--prompt',
  'Turn it into a watercolor painting with soft, warm brush strokes',
  '--out',
  'out',
  // A demo is run again and again; its own earlier results are fair to replace.
  '--force',
];
const child = spawn(process.execPath, args, { cwd: userDir, stdio: 'inherit' });
// Ctrl-C reaches the child too (same process group); let it cancel and report, then follow it.
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
