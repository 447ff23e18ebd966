// CLI output helpers: human lines on stdout, and with --json one JSON object as the last stdout line.
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v))}\n`);
}

export function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** A one-line progress indicator on a TTY (rewritten in place), plain occasional lines otherwise. */
export function progressLine(label: string): (done: number, total: number, extra?: string) => void {
  const tty = process.stderr.isTTY;
  let lastPlain = 0;
  return (done, total, extra = '') => {
    const text = `${label} ${done}/${total}${extra ? ` ${extra}` : ''}`;
    if (tty) {
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : 0;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K${done === total ? '\n' : ''}`);
    } else if (done === total || Date.now() - lastPlain > 2000) {
      lastPlain = Date.now();
      process.stderr.write(`${text}\n`);
    }
  };
}

export class CliError extends Error {}
