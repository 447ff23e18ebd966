// Where the real labelled dev photos live. Tests read them in place and never copy them into the repo.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** FACE_ATLAS_FACES overrides the default `../shared/data/faces` beside the repo. */
export const facesRoot = path.resolve(repoRoot, process.env.FACE_ATLAS_FACES ?? '../shared/data/faces');
export const hasFaces = existsSync(path.join(facesRoot, 'labels.csv'));
export const noFacesReason = `dev photos not found at ${facesRoot} (set FACE_ATLAS_FACES): skipping tests that need real photos`;

if (!hasFaces) console.warn(noFacesReason);

/** Strangers (people seen once or a few times): FACE_ATLAS_STRANGERS overrides `../shared/data/strangers`. */
export const strangersRoot = path.resolve(repoRoot, process.env.FACE_ATLAS_STRANGERS ?? '../shared/data/strangers');
export const hasStrangers = existsSync(path.join(strangersRoot, 'README.md'));
export const noStrangersReason = `stranger photos not found at ${strangersRoot} (set FACE_ATLAS_STRANGERS): skipping tests that need them`;

export function face(rel: string): string {
  return path.join(facesRoot, rel);
}
