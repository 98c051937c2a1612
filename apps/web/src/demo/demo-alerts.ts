import { applyAlertsYaml } from "../domain/alerting/provisioning.ts";

// The demo's alert rules, one per incident switch, and its receiver: the fleet's own webhook
// endpoint, so every delivery shows both in Alerts → Receivers and in the Demo panel.
// Provisioned like any alerting file, so the rules read as an example of one.

function demoAlerts(receiverUrl: string, secret: string): string {
  return `
project: demo
receivers:
  - name: demo-receiver
    url: ${receiverUrl}
    secret: ${secret}
route:
  receiver: demo-receiver
  group_by: [alertname, service]
  group_wait: 2s
  group_interval: 30s
  repeat_interval: 1h
groups:
  - name: demo
    interval: 5s
    rules:
      - alert: ReplicaLagging
        metric: postgresql.wal.delay
        agg: max
        window: 30s
        group_by: replication_client
        condition: "> 1"
        for: 5s
        labels: { severity: warning }
        annotations:
          summary: "replica {{ $labels.replication_client }} is {{ $value }} s behind"
      - alert: CacheMissesHigh
        metric: cache.requests
        where: { cache.result: miss }
        agg: rate
        window: 30s
        group_by: cache.name
        condition: "> 1.5"
        labels: { severity: warning }
        annotations:
          summary: "cache {{ $labels.cache_name }} misses {{ $value }} reads a second"
      - alert: ShardHot
        metric: vigil.shard.requests
        agg: rate
        window: 30s
        group_by: vigil.shard.id
        condition: "> 4"
        for: 10s
        labels: { severity: warning }
        annotations:
          summary: "shard {{ $labels.vigil_shard_id }} takes {{ $value }} requests a second"
      - alert: ServiceSlow
        metric: http.server.request.duration
        agg: p95
        window: 30s
        group_by: service.name
        condition: "> 0.5"
        for: 10s
        labels: { severity: critical }
        annotations:
          summary: "p95 latency of {{ $labels.service }} is {{ $value }} s"
      - alert: InstanceDown
        registry: instance_critical
        labels: { severity: critical }
        annotations:
          summary: "instance {{ $labels.instance }} of {{ $labels.service }} is critical in the registry"
`;
}

export function provisionDemoAlerts(projectId: string, receiverUrl: string, secret: string) {
  return applyAlertsYaml(demoAlerts(receiverUrl, secret), "demo alerting", projectId);
}
