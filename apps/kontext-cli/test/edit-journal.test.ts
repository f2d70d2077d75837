import { describe, expect, it } from 'vitest';
import { replayJournal } from '../src/edit-journal.js';

const line = (record: object) => `${JSON.stringify({ input: 'photos/a.png', at: '2026-11-24T00:00:00Z', ...record })}\n`;

describe('replayJournal', () => {
  it('keeps the last state of each key: submitted, saved, or new again after a failure', () => {
    const text =
      line({ event: 'submitted', key: 'a', requestId: 'r1', endpoint: '/fal-ai/flux-pro/kontext' }) +
      line({ event: 'submitted', key: 'b', requestId: 'r2', endpoint: '/fal-ai/flux-pro/kontext' }) +
      line({ event: 'saved', key: 'a', requestId: 'r1', outputs: ['a.1.jpg', 'a.json'] }) +
      line({ event: 'submitted', key: 'c', requestId: 'r3', endpoint: '/fal-ai/flux-pro/kontext' }) +
      line({ event: 'ended', key: 'c', requestId: 'r3', outcome: 'failed', error: 'Job r3 failed' });
    const states = replayJournal(text);
    expect(states.get('a')).toEqual({ kind: 'saved', requestId: 'r1', outputs: ['a.1.jpg', 'a.json'] });
    expect(states.get('b')).toEqual({ kind: 'submitted', requestId: 'r2', endpoint: '/fal-ai/flux-pro/kontext' });
    expect(states.get('c')).toEqual({ kind: 'new' });
    expect(states.has('d')).toBe(false);
  });

  it('ignores a line torn by a crash in the middle of writing it', () => {
    const whole = line({ event: 'submitted', key: 'a', requestId: 'r1', endpoint: '/fal-ai/flux-pro/kontext' });
    const torn = line({ event: 'saved', key: 'a', requestId: 'r1', outputs: ['a.1.jpg'] }).slice(0, 30);
    expect(replayJournal(whole + torn).get('a')).toEqual({ kind: 'submitted', requestId: 'r1', endpoint: '/fal-ai/flux-pro/kontext' });
  });
});
