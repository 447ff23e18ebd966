// Builds camera files for tests from dev photos, with no network and no fixture in the repo: a DNG
// (Adobe's open RAW, a TIFF) holding a tiny CFA sensor image and, optionally, a full-size JPEG preview
// in a sub-IFD the way Adobe's converter and cameras store it; and HEIC through Debian's heif-enc.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

type Entry = [tag: number, type: number, values: number[] | Buffer];

const SHORT = 3, LONG = 4, BYTE = 1, ASCII = 2;
const TYPE_SIZE: Record<number, number> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4 };

/** Lays out IFDs (each a list of entries, sorted by tag) and blobs in one little-endian TIFF. */
class TiffWriter {
  private parts: Buffer[] = [];
  private offset = 8;

  /** Reserves room for bytes and returns their offset. */
  place(bytes: Buffer): number {
    const at = this.offset;
    const pad = bytes.length % 2;
    this.parts.push(bytes, Buffer.alloc(pad));
    this.offset += bytes.length + pad;
    return at;
  }

  ifd(entries: Entry[], next = 0): number {
    entries.sort((a, b) => a[0] - b[0]);
    const size = 2 + entries.length * 12 + 4;
    const at = this.offset;
    const buf = Buffer.alloc(size);
    this.offset += size;
    const extra: Buffer[] = [];
    let extraAt = this.offset;
    buf.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, values], i) => {
      const o = 2 + i * 12;
      const data = Buffer.isBuffer(values) ? values : Buffer.alloc(values.length * TYPE_SIZE[type]);
      if (!Buffer.isBuffer(values)) values.forEach((v, k) => (type === SHORT ? data.writeUInt16LE(v, k * 2) : type === LONG ? data.writeUInt32LE(v, k * 4) : data.writeUInt8(v, k)));
      const count = Buffer.isBuffer(values) ? values.length : values.length;
      buf.writeUInt16LE(tag, o);
      buf.writeUInt16LE(type, o + 2);
      buf.writeUInt32LE(count, o + 4);
      if (data.length <= 4) data.copy(buf, o + 8);
      else {
        buf.writeUInt32LE(extraAt, o + 8);
        const padded = Buffer.concat([data, Buffer.alloc(data.length % 2)]);
        extra.push(padded);
        extraAt += padded.length;
      }
    });
    buf.writeUInt32LE(next, size - 4);
    this.parts.push(buf, ...extra);
    this.offset = extraAt;
    return at;
  }

  finish(firstIfd: number): Buffer {
    const head = Buffer.alloc(8);
    head.write('II', 0, 'latin1');
    head.writeUInt16LE(42, 2);
    head.writeUInt32LE(firstIfd, 4);
    return Buffer.concat([head, ...this.parts]);
  }
}

/**
 * A DNG 1.4 file: IFD0 is the main (raw) image, a 16x16 16-bit RGGB CFA; when `preview` is given (JPEG
 * bytes of width x height), a sub-IFD holds it as a reduced-resolution JPEG (NewSubfileType 1, Compression 7).
 * `orientation` is the camera's EXIF orientation in IFD0.
 */
export function buildDng(opts: { preview?: { jpeg: Buffer; width: number; height: number }; orientation?: number }): Buffer {
  const w = new TiffWriter();
  const sensor = w.place(Buffer.alloc(16 * 16 * 2, 0x10));
  const subIfds: number[] = [];
  if (opts.preview) {
    const jpegAt = w.place(opts.preview.jpeg);
    subIfds.push(w.ifd([
      [0x00fe, LONG, [1]], // NewSubfileType: reduced-resolution copy
      [0x0100, LONG, [opts.preview.width]],
      [0x0101, LONG, [opts.preview.height]],
      [0x0102, SHORT, [8, 8, 8]],
      [0x0103, SHORT, [7]], // JPEG
      [0x0106, SHORT, [6]], // YCbCr
      [0x0111, LONG, [jpegAt]],
      [0x0115, SHORT, [3]],
      [0x0116, LONG, [opts.preview.height]],
      [0x0117, LONG, [opts.preview.jpeg.length]],
    ]));
  }
  const make = Buffer.from('FaceAtlas\0', 'latin1');
  const model = Buffer.from('Test DNG\0', 'latin1');
  const entries: Entry[] = [
    [0x00fe, LONG, [0]], // the main image
    [0x0100, LONG, [16]],
    [0x0101, LONG, [16]],
    [0x0102, SHORT, [16]],
    [0x0103, SHORT, [1]],
    [0x0106, SHORT, [32803]], // CFA
    [0x010f, ASCII, make],
    [0x0110, ASCII, model],
    [0x0111, LONG, [sensor]],
    [0x0112, SHORT, [opts.orientation ?? 1]],
    [0x0115, SHORT, [1]],
    [0x0116, LONG, [16]],
    [0x0117, LONG, [16 * 16 * 2]],
    [0x828d, SHORT, [2, 2]], // CFARepeatPatternDim
    [0x828e, BYTE, [0, 1, 1, 2]], // CFAPattern RGGB
    [0xc612, BYTE, [1, 4, 0, 0]], // DNGVersion
    [0xc614, ASCII, model], // UniqueCameraModel
  ];
  if (subIfds.length) entries.push([0x014a, LONG, subIfds]);
  return w.finish(w.ifd(entries));
}

export const hasHeifEnc = existsSync('/usr/bin/heif-enc');
export const noHeifEncReason = "Debian's heif-enc (libheif-examples) is not installed: .ci/run installs it";

/** Encodes a JPEG or PNG as HEIC (HEVC) with heif-enc; several inputs make a multi-image file whose first is primary. */
export function heifEnc(out: string, inputs: string[], quality = 92): void {
  execFileSync('heif-enc', ['-q', String(quality), '-o', out, ...inputs], { stdio: 'pipe' });
}
