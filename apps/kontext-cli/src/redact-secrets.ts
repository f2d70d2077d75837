/**
 * Replaces `secrets` in everything this process writes to stdout and stderr. Our own messages
 * never print the key; this also covers what we do not write ourselves (an error echoing a
 * request header, a library's stack trace), because a key in a CI log is a leaked key.
 */
export function redactSecretsInOutput(secrets: (string | undefined)[], streams = [process.stdout, process.stderr]): void {
  // Short values would mask ordinary text and protect nothing.
  // Each line trimmed, as the key is sent: a pasted key with a stray space or line break (which
  // the core refuses without showing it) must still be caught, whole or line by line.
  const patterns = secrets
    .flatMap((secret) => (secret === undefined ? [] : [secret.trim(), ...secret.split(/\r\n|\r|\n/).map((line) => line.trim())]))
    .filter((secret, index, all) => secret.length >= 6 && all.indexOf(secret) === index)
    .sort((a, b) => b.length - a.length);
  if (patterns.length === 0) return;
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(redact(chunk, patterns), ...rest)) as typeof stream.write;
  }
}

function redact(chunk: unknown, secrets: string[]): unknown {
  const isBytes = chunk instanceof Uint8Array;
  const text = typeof chunk === 'string' ? chunk : isBytes ? Buffer.from(chunk).toString('utf8') : undefined;
  if (text === undefined || !secrets.some((secret) => text.includes(secret))) return chunk;
  const clean = secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
  return isBytes ? Buffer.from(clean, 'utf8') : clean;
}
