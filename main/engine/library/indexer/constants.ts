// The tunables live in shared/settings.ts with every other setting; re-exported here for this folder's modules.
export { INDEXER_DEFAULTS } from '../../../../shared/settings.ts';

/** Error codes the indexer records itself; decoding failures keep the engine's ImageError codes. */
export type IndexErrorCode =
  | 'EMPTY_FILE'
  | 'UNREADABLE'
  | 'BROKEN_SYMLINK'
  | 'SYMLINK_LOOP'
  | 'NOT_A_FILE'
  | 'CHANGED_WHILE_READING'
  | 'BAD_FILE_NAME'
  | 'ANALYSIS_FAILED';
