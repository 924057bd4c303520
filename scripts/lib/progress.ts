/**
 * A progress bar for long syncs, on stderr: redrawn in place on a terminal, a line every
 * quarter otherwise (CI logs), and nothing for small jobs that finish in a blink.
 */
const MIN_TOTAL = 200;
const WIDTH = 30;

export function progressBar(label: string, options: { quiet?: boolean } = {}) {
  const tty = process.stderr.isTTY === true;
  let lastQuarter = -1;
  let drawn = false;
  return {
    update(done: number, total: number): void {
      if (options.quiet || total < MIN_TOTAL) return;
      const fraction = total === 0 ? 1 : done / total;
      const pct = Math.floor(fraction * 100);
      if (tty) {
        const filled = Math.round(fraction * WIDTH);
        process.stderr.write(
          `\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${pct}% (${done}/${total} statements)`,
        );
        drawn = true;
      } else if (Math.floor(fraction * 4) > lastQuarter) {
        lastQuarter = Math.floor(fraction * 4);
        process.stderr.write(`${label}: ${pct}% (${done}/${total} statements)\n`);
      }
    },
    done(): void {
      if (drawn) process.stderr.write("\n");
      drawn = false;
    },
  };
}
