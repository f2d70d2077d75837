import { createHash } from 'node:crypto';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** The journal `kontext edit` keeps in the output folder, one JSON object per line. */
export const JOURNAL_FILE = '.kontext-journal.jsonl';

/**
 * What happened to one input, in order: `submitted` as soon as the server gave the job a request
 * id, then `saved` once its images and sidecar are on disk, or `ended` when the job failed or
 * was cancelled (a rerun submits it again). A job with only `submitted` is still on the server:
 * a rerun collects it instead of paying for it twice.
 */
export type JournalRecord =
  | { event: 'submitted'; key: string; input: string; requestId: string; endpoint: string; at: string }
  | { event: 'saved'; key: string; input: string; requestId: string; outputs: string[]; at: string }
  | { event: 'ended'; key: string; input: string; requestId: string; outcome: 'failed' | 'cancelled'; error: string; at: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Where one input stands according to the journal. */
export type JournalState =
  | { kind: 'new' }
  | { kind: 'submitted'; requestId: string; endpoint: string }
  | { kind: 'saved'; requestId: string; outputs: string[] };

/**
 * The identity of a job in the journal: its input files (path, size, modification time; none
 * for a text-to-image model), the endpoint and the options. The same input with another prompt,
 * model or format is another job.
 */
export async function journalKey(absolutePaths: string[], endpoint: string, options: unknown): Promise<string> {
  const files = await Promise.all(
    absolutePaths.map(async (file) => {
      const info = await stat(file);
      return { file, size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
  const identity = JSON.stringify({ files, endpoint, options });
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/** The state of every key, replaying the journal; a torn last line (a crash mid-write) is ignored. */
export function replayJournal(text: string): Map<string, JournalState> {
  const states = new Map<string, JournalState>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue;
    }
    if (record.event === 'submitted') states.set(record.key, { kind: 'submitted', requestId: record.requestId, endpoint: record.endpoint });
    else if (record.event === 'saved') states.set(record.key, { kind: 'saved', requestId: record.requestId, outputs: record.outputs });
    else if (record.event === 'ended') states.set(record.key, { kind: 'new' });
  }
  return states;
}

export async function readJournal(outDir: string): Promise<Map<string, JournalState>> {
  const text = await readFile(join(outDir, JOURNAL_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return replayJournal(text);
}

/**
 * Appends records, one line each, in the order they were given. A `submitted` line is synced to
 * disk before its promise resolves: it stands for a paid job that a rerun must not pay for again.
 */
export class JournalWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(private readonly file: FileHandle) {}

  static async open(outDir: string): Promise<JournalWriter> {
    return new JournalWriter(await open(join(outDir, JOURNAL_FILE), 'a'));
  }

  append(record: DistributiveOmit<JournalRecord, 'at'>): Promise<void> {
    const line = `${JSON.stringify({ ...record, at: new Date().toISOString() })}\n`;
    const write = this.queue.then(async () => {
      await this.file.appendFile(line);
      if (record.event === 'submitted') await this.file.datasync();
    });
    // One failed write must not stop the ones after it; the caller still sees its own failure.
    this.queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.file.close();
  }
}
