// One ExifTool (Phil Harvey's perl tool, through exiftool-vendored) per process, started on first use and
// ended by endExifTool(): its child process would otherwise keep Node alive. Used only on the main thread
// (RAW previews for the engine, XMP face regions); worker threads never start one.
import type { ExifTool } from 'exiftool-vendored';

let current: Promise<ExifTool> | null = null;

/** The shared ExifTool, started when first asked for (and again after endExifTool()). */
export function exiftool(): Promise<ExifTool> {
  if (!current) {
    current = import('exiftool-vendored').then(({ ExifTool: Tool }) => new Tool({
      maxProcs: 1,
      // A corrupt file must not hold the queue for long; ExifTool answers normal files in milliseconds.
      taskTimeoutMillis: 30_000,
    }));
  }
  return current;
}

/** Ends the child process if one was started; safe to call any number of times. */
export async function endExifTool(): Promise<void> {
  const running = current;
  current = null;
  if (running) await (await running).end();
}
