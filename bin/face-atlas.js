#!/usr/bin/env node
// Entry point of the `face-atlas` CLI: runs the TypeScript sources through tsx so no build step is needed.
import { register } from 'tsx/esm/api';
register();
await import('../main/cli/index.ts');
