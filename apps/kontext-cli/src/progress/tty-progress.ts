import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { BatchProgress, ProgressReporter } from './job-progress.js';
import { renderTtyFrame } from './tty-frame.js';

/** How often the display is redrawn even without news, so spinners and timers move. */
const tickMs = 100;

/** The live display: every job's line and the bar, redrawn in place with log-update. */
export function createTtyProgress(stream: NodeJS.WriteStream, batch: BatchProgress): ProgressReporter {
  const log = createLogUpdate(stream);
  const colors = pc.createColors(!('NO_COLOR' in process.env));
  const draw = () =>
    log(
      renderTtyFrame(batch, {
        now: Date.now(),
        columns: stream.columns || 80,
        rows: stream.rows || 24,
        colors,
      }).join('\n'),
    );
  const timer = setInterval(draw, tickMs);
  // The batch ends the process; a pending redraw must not keep it alive.
  timer.unref();
  draw();
  return {
    update: draw,
    // Written through log-update: a direct write would desync its count of lines to erase.
    notice(line) {
      log.persist(line);
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
      log.done();
    },
  };
}
