import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { apiKeyProblem } from '@anyapi-kontext/core';
import { commonOptions, UsageError, type CliContext, type CommandSpec } from '../command.js';
import { baseUrlFrom, connect } from '../connection.js';
import { apiChecks, baseUrlCheck, dnsCheck, keyFormatCheck, proxyCheck, tlsCheck, type Check, type Target } from '../doctor/checks.js';
import { jobCostNotice, runDoctorJob, type JobReport } from '../doctor/job-check.js';
import { writeJson } from './with-connection.js';

export const doctorCommand: CommandSpec = {
  name: 'doctor',
  summary: 'Check the key, base URL, DNS, TLS, proxy, clock and round trip (free); --run-job also runs one small job',
  positionals: '',
  details: [
    'Cheapest first: nothing here costs anything unless --run-job is given. The key is never shown.',
    'Without ANYAPI_API_KEY it checks a local emulator started in this process.',
    'Exit code 0 when every check passes or only warns, 1 when one fails.',
  ],
  options: {
    'run-job': {
      type: 'boolean',
      description: 'also run one job of one image: says what it costs first, and asks (unless --yes)',
    },
    yes: { type: 'boolean', short: 'y', description: 'run the job without asking' },
    record: {
      type: 'string',
      valueName: '<dir>',
      description: "record the calls to AnyAPI (the key removed) as a cassette in <dir>, which the tests can replay",
    },
    ...commonOptions,
  },
  async run({ values, positionals }, context) {
    if (positionals.length > 0) throw new UsageError('kontext doctor takes no arguments (see: kontext doctor --help)');
    const jobAsked = values['run-job'] === true;
    const key = context.env.ANYAPI_API_KEY?.trim();
    const keyProblem = key ? apiKeyProblem(key) : undefined;
    const emulator = !key;
    const runJob = jobAsked && (await confirmJob(context, emulator, values.yes === true));

    const checks: Check[] = [];
    let job: JobReport | undefined;
    if (keyProblem) {
      // No request can be made with this key; the checks that need none still run.
      const target: Target = { baseUrl: baseUrlFrom(context.env), emulator: false, keySet: true, keyProblem };
      checks.push(...(await setupChecks(target, context)));
      checks.push({ name: 'key accepted', status: 'skip', summary: 'not asked: the key is not usable as it is' });
    } else {
      const connection = await connect(context.env, () => undefined);
      const recorder = typeof values.record === 'string' ? await startRecording(values.record, connection.baseUrl, context) : undefined;
      try {
        const target: Target = { baseUrl: connection.baseUrl, emulator: connection.emulator, keySet: !emulator };
        checks.push(...(await setupChecks(target, context)));
        // With --record the API's calls go through the recorder; DNS and TLS above look at the base URL itself.
        const { client, transport } = connection.withTransport(recorder?.url);
        const api = await apiChecks(transport, context.signal);
        checks.push(...api.checks);
        if (jobAsked && !runJob) {
          checks.push({ name: 'job', status: 'skip', summary: 'not run: you answered no' });
        } else if (runJob) {
          if (api.checks.some((check) => check.status === 'fail')) {
            checks.push({ name: 'job', status: 'skip', summary: 'not run: the checks above failed, so nothing was spent' });
          } else {
            const ran = await runDoctorJob(client, transport, connection.baseUrl, context.signal);
            checks.push(...ran.checks);
            job = ran.report;
          }
        }
        if (recorder) checks.push({ name: 'recording', status: 'ok', summary: `${recorder.exchanges.length} exchanges in ${values.record} (cassette.json, blobs/), without the key` });
      } finally {
        await recorder?.stop();
        await connection.close();
      }
    }

    const ok = !checks.some((check) => check.status === 'fail');
    if (values.json === true) {
      writeJson(context, { ok, checks, ...(job ? { job } : {}) });
    } else {
      const width = Math.max(...checks.map((check) => check.name.length));
      const lines = checks.map((check) => `${check.status.padEnd(4)}  ${check.name.padEnd(width)}  ${check.summary}`);
      context.stdout.write(`${lines.join('\n')}\n${ok ? 'All checks passed.' : 'Some checks failed.'}\n`);
    }
    return ok ? 0 : 1;
  },
};

async function setupChecks(target: Target, context: CliContext): Promise<Check[]> {
  const proxy = proxyCheck(target, context.env);
  const { proxied, ...proxyLine } = proxy;
  return [keyFormatCheck(target), baseUrlCheck(target), proxyLine, await dnsCheck(target, proxied), await tlsCheck(target, proxied)];
}

/** Says what the job costs before anything is sent; asks on a terminal, else needs --yes. */
async function confirmJob(context: CliContext, emulator: boolean, yes: boolean): Promise<boolean> {
  context.stderr.write(`${jobCostNotice(emulator)}\n`);
  if (emulator || yes) return true;
  if (!process.stdin.isTTY) throw new UsageError('kontext doctor --run-job spends one image: pass --yes to run it without a question (stdin is not a terminal)');
  const question = createInterface({ input: process.stdin, output: context.stderr });
  try {
    const answer = await question.question('Run it? [y/N] ', { signal: context.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    question.close();
  }
}

/** The emulator's recording proxy in front of the base URL, reaching it as the client would (its proxy included). */
async function startRecording(dir: string, upstream: string, context: CliContext) {
  const [{ startRecorder }, { createProxyFetch }] = await Promise.all([import('@anyapi-kontext/emulator'), import('@anyapi-kontext/core/fetch')]);
  return startRecorder({ upstream, dir: resolve(context.cwd, dir), fetch: createProxyFetch(process.env) });
}
