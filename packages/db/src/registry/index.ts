// The registry's hot-path SQL.
export { refreshUnchangedCheck } from "./heartbeat.ts";
export { recordLoad } from "./load.ts";
export { listenForRegistryChanges, notifyRegistryChange } from "./notify.ts";
export { type InstanceValue, metricByInstance } from "./rule-values.ts";
