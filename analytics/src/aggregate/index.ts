/** Browser-safe aggregation shared by the server and the web worker (no Node, no React). */
export { type QueueCall, type QueueMetricOptions, type QueueMetrics, queueMetrics } from './queue-metrics.ts';
