// The process's peak RSS since a point in time. `process.resourceUsage().maxRSS` is the peak
// since the process started, so a warm-up that peaked higher than the measured call would be
// counted as the call's (it did: 20-30 MB of the photo case's figures were the warm-up's).
// Linux resets the peak when 5 is written to /proc/self/clear_refs (proc(5)); elsewhere the
// figure stays the peak since the start, an over-estimate, and `reset` says so.
import { writeFileSync } from 'node:fs';

/** Starts the peak over from the current RSS; false where the system cannot (the peak then includes the warm-up). */
export function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The peak RSS in bytes since the last reset (or since the process started). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;
