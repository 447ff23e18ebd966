// The tunables live in shared/settings.ts with every other setting; re-exported here for this folder's modules.
export { THUMB_DEFAULTS } from '../../../../shared/settings.ts';
