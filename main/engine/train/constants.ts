// The tunables live in shared/settings.ts with every other setting; re-exported here for this folder's modules.
export { TRAIN_DEFAULTS, GUARDRAIL_DEFAULTS, CONV_EMBEDDER_DEFAULTS } from '../../../shared/settings.ts';
