import { startEmulatorProcess } from './emulator-child.mjs';
import { latencyCase } from './latency.mjs';
import { ourClient, falClient, floorClient } from './clients.mjs';
import { png } from './png.mjs';
const emulator = await startEmulatorProcess();
try {
  const imageUrl = `data:image/png;base64,${png(64, 64).toString('base64')}`;
  const [minMs, maxMs] = process.argv.slice(2).map(Number);
  const res = await latencyCase(emulator, {
    stream: false, jobLogs: process.argv[4] !== 'nologs', minMs, maxMs, jobs: 16, concurrency: 8, rounds: 2, seed: 7, imageUrl,
    clients: [
      { key: 'ours', client: ourClient(emulator, { stream: false }) },
      { key: 'fal', client: falClient(emulator) },
      { key: 'floor', client: floorClient(emulator, { stream: false }) },
    ],
  });
  console.log(JSON.stringify(res, null, 1));
} finally { await emulator.stop(); }
