import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findExecutable } from './binaries.js';
import { withPort } from './free-port.js';
import { spawnServer, waitUntilReady } from './server-process.js';

/** A scrape target: a local `/metrics` endpoint and the target labels Prometheus adds. */
export interface ScrapeTarget {
  /** `host:port` on loopback. */
  readonly address: string;
  /**
   * Target labels, as Kubernetes service discovery sets them (`namespace`, `service`, `pod`):
   * they win over labels of the same name the application exports (those become
   * `exported_<name>`), unless `honorLabels` is set.
   */
  readonly labels: Readonly<Record<string, string>>;
}

export interface StartPrometheusOptions {
  /** Working directory for the configuration and the TSDB; created when missing. */
  readonly dir: string;
  readonly targets: readonly ScrapeTarget[];
  /** Scrape and evaluation interval in seconds. Default 1 (tests need fresh samples). */
  readonly scrapeIntervalSeconds?: number;
  /** TCP port on 127.0.0.1. Default: a free port. */
  readonly port?: number;
  /**
   * The application's labels win over target labels of the same name (`honor_labels`), as the
   * services' ServiceMonitors set it: their own `service` label stays. Default false.
   */
  readonly honorLabels?: boolean;
}

/** A running Prometheus server listening on 127.0.0.1 only. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`, the base of the HTTP API. */
  readonly url: string;
  /** SIGTERM, SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

const PROMETHEUS_HINT =
  'Prometheus is not installed: `apt-get install prometheus` (Debian), or run `bash tools/setup.sh`.';
const READY_TIMEOUT_MS = 20_000;

/**
 * Starts Debian's `prometheus` server scraping `targets`, and resolves once `/-/ready` answers.
 * @throws Error naming what to install when the binary is missing, or with the server's last log
 * lines when it fails to start.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const binary = findExecutable('prometheus', ['/usr/bin']);
  if (!binary) throw new Error(PROMETHEUS_HINT);
  const dir = resolve(options.dir);
  await mkdir(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, scrapeConfig(options));
  return withPort(options.port, async (port) => {
    const child = spawnServer(
      {
        command: binary,
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
      },
      { name: 'Prometheus', stopSignal: 'SIGTERM', killAfterMs: 5_000 },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(child, 'Prometheus', () => answersReady(url), READY_TIMEOUT_MS);
    return { url, stop: child.stop };
  });
}

/** The configuration: one job, static targets with their labels (JSON is YAML). */
function scrapeConfig({
  targets,
  scrapeIntervalSeconds = 1,
  honorLabels = false,
}: StartPrometheusOptions): string {
  const interval = `${scrapeIntervalSeconds}s`;
  return JSON.stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      {
        job_name: 'local',
        honor_labels: honorLabels,
        static_configs: targets.map((target) => ({
          targets: [target.address],
          labels: target.labels,
        })),
      },
    ],
  });
}

const answersReady = (url: string) =>
  fetch(`${url}/-/ready`).then(
    (response) => response.ok,
    () => false,
  );
