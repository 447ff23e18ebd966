// Runs one index in its own process, printing one JSON line per event, so tests can kill it at any
// point (crash safety) or run it as another user (permissions).
// Usage: node --import tsx test/indexer/index-child.ts '{"catalog": "...", "roots": ["..."], "workers": 1}'
import { Catalog } from '../../../main/engine/library/catalog/catalog.ts';
import { createFaceEngine } from '../../../main/engine/face/engine.ts';
import { Indexer } from '../../../main/engine/library/indexer/indexer.ts';
import { ThumbnailCache } from '../../../main/engine/library/thumbs/thumbnail-cache.ts';

interface ChildConfig {
  catalog: string;
  roots: string[];
  workers?: number;
  concurrency?: number;
  cacheDir?: string;
}

const config = JSON.parse(process.argv[2]) as ChildConfig;
const say = (e: string, data: object): void => void process.stdout.write(JSON.stringify({ e, ...data }) + '\n');

const engine = await createFaceEngine({ workers: config.workers ?? 1 });
const catalog = new Catalog(config.catalog);
const thumbs = config.cacheDir ? new ThumbnailCache(catalog, config.cacheDir) : null;
const indexer = new Indexer({ catalog, analyser: engine, thumbs, concurrency: config.concurrency });
indexer.on('file', (r) => say('file', r));
indexer.on('retired', (r) => say('retired', r));
indexer.on('warning', (w) => say('warning', w));
say('start', {});
const summary = await indexer.run(config.roots);
say('done', { summary });
catalog.close();
await engine.close();
