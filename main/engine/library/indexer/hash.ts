// Content identity of a photo: SHA-256 of its bytes, read as a stream so large files never sit in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
