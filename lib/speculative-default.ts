/**
 * Whether prompt-lookup speculative decoding runs when a request does not say. The answer is the same
 * either way; only the speed differs, so the default follows the measurements in docs/performance.md
 * ("Speculative default"). One constant for the engine, the settings panel and the docs.
 */
export const SPECULATIVE_BY_DEFAULT = true;
