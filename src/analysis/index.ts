/** The brand analysis: pure functions from stored answers to metrics (see README.md). */
export { analyzeAnswer } from './analyze';
export { compareRuns, SIGNIFICANCE_LEVEL } from './compare';
export { runMetrics } from './metrics';
export { needsMoreSamples } from './sampling';
export { halfWidth, twoProportionZTest, wilson, Z_95 } from './stats';
export * from './types';
