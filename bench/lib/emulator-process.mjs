// The emulator in its own process, so its image work never shares the clients' event loop.
// The parent drives it over IPC: {id, call, args} in, {id, result | error} out.
import { startEmulator } from '@anyapi-kontext/emulator';
import { setImmediate } from 'node:timers';

/** The bench writes each job's length into its prompt: `[bench 4321 ms]`. */
const LENGTH_IN_PROMPT = /\[bench (\d+(?:\.\d+)?) ms\]/;

const emulator = await startEmulator({
  port: 0,
  concurrency: 64,
  jobDuration: 20,
  seed: 1,
  jobDurationFor: (input) => {
    const match = LENGTH_IN_PROMPT.exec(String(input.prompt));
    return match ? Number(match[1]) : undefined;
  },
});

const calls = {
  configure: (changes) => emulator.configure(changes),
  resetCounters: () => emulator.resetCounters(),
  counters: () => emulator.counters,
  jobTimes: (ids) => ids.map((id) => emulator.jobTimes(id) ?? null),
  memory: () => process.memoryUsage().rss,
  stop: async () => {
    await emulator.stop();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ id, call, args = [] }) => {
  try {
    process.send({ id, result: (await calls[call](...args)) ?? null });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, url: emulator.url, apiKey: emulator.apiKey });
