// What the CLI prints on a terminal: text that came from outside (person names, file paths, decoder
// messages) cannot carry control sequences that move the cursor, recolour, retitle or clear the screen.

/** C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what is shown. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unsafe character shown as a visible escape (`\x1b`, `\u202e`); everything else unchanged. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A reader that goes away (`face-atlas people | head`) ends the command quietly, as other Unix tools
 * do, instead of an EPIPE stack trace.
 */
export function exitQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
