import { parseArgs } from 'node:util';
import { DEFAULT_API_KEY, DEFAULT_CLI_PORT, type EmulatorOptions } from './options.js';

export const USAGE = `Usage: anyapi-kontext-emulator [options]

A local stand-in for AnyAPI's relay of fal's FLUX.1 Kontext queue.

Options:
  --port <n>          Port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free one)  env ANYAPI_EMULATOR_PORT
  --host <address>    Interface to bind (default 127.0.0.1)                 env ANYAPI_EMULATOR_HOST
  --concurrency <n>   Jobs that run at once (default 2)                     env ANYAPI_EMULATOR_CONCURRENCY
  --duration <ms>     How long one job runs (default 1500)                  env ANYAPI_EMULATOR_DURATION
  --key <key>         The API key it accepts (default ${DEFAULT_API_KEY})         env ANYAPI_EMULATOR_KEY
  --seed <n>          Reproducible request ids and image seeds              env ANYAPI_EMULATOR_SEED
  --no-stream         Answer 405 on the status stream so clients must poll  env ANYAPI_EMULATOR_STREAM=0
  --uplink <Mbit/s>   Read request bodies no faster than this (default: no limit)  env ANYAPI_EMULATOR_UPLINK
  --max-body-mb <n>   Refuse larger request bodies with 413 (default 64 MiB) env ANYAPI_EMULATOR_MAX_BODY_MB
  -h, --help          Show this help
`;

export type CliCommand = { kind: 'help' } | { kind: 'start'; options: EmulatorOptions };

/** Flags win over environment variables, which win over the defaults. */
export function parseCliArguments(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values } = parseArgs({
    // `pnpm start -- --port 9000` passes the `--` through; it is not meant as "end of options".
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      key: { type: 'string' },
      seed: { type: 'string' },
      stream: { type: 'boolean' },
      'no-stream': { type: 'boolean' },
      uplink: { type: 'string' },
      'max-body-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { kind: 'help' };
  const streamFromEnv = env.ANYAPI_EMULATOR_STREAM === undefined ? true : !['0', 'false', 'no'].includes(env.ANYAPI_EMULATOR_STREAM);
  const seed = values.seed ?? env.ANYAPI_EMULATOR_SEED;
  const uplink = values.uplink ?? env.ANYAPI_EMULATOR_UPLINK;
  const maxBodyMb = values['max-body-mb'] ?? env.ANYAPI_EMULATOR_MAX_BODY_MB;
  return {
    kind: 'start',
    options: {
      port: integer('--port', values.port ?? env.ANYAPI_EMULATOR_PORT, DEFAULT_CLI_PORT),
      host: values.host ?? env.ANYAPI_EMULATOR_HOST ?? '127.0.0.1',
      concurrency: integer('--concurrency', values.concurrency ?? env.ANYAPI_EMULATOR_CONCURRENCY, 2),
      jobDuration: integer('--duration', values.duration ?? env.ANYAPI_EMULATOR_DURATION, 1500),
      apiKey: values.key ?? env.ANYAPI_EMULATOR_KEY ?? DEFAULT_API_KEY,
      stream: values['no-stream'] ? false : (values.stream ?? streamFromEnv),
      ...(seed === undefined ? {} : { seed: integer('--seed', seed, 0) }),
      ...(uplink === undefined ? {} : { uplink: positiveNumber('--uplink', uplink) }),
      ...(maxBodyMb === undefined ? {} : { maxBodyBytes: Math.round(positiveNumber('--max-body-mb', maxBodyMb) * 1024 * 1024) }),
    },
  };
}

function integer(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a whole number, got "${text}"`);
  return value;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new Error(`${flag} must be a number above 0, got "${text}"`);
  return value;
}
