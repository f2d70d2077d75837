/**
 * Replaces `secrets` in everything this process writes to stdout and stderr. Our own messages
 * never print the key; this also covers what we do not write ourselves (an error echoing a
 * request header, a library's stack trace), because a key in a CI log is a leaked key.
 */
export function redactSecretsInOutput(secrets: (string | undefined)[], streams = [process.stdout, process.stderr]): void {
  // Short values would mask ordinary text and protect nothing.
  // Trimmed, as the key is sent: a pasted key with a stray space must still be caught.
  const patterns = secrets
    .map((secret) => secret?.trim())
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 6);
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
