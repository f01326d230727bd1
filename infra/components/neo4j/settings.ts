/**
 * Neo4j 5.26 is the long-term-support line. The chart's version and Neo4j's follow each other,
 * so one constant pins both the chart and the image the backup job runs `cypher-shell` from.
 */
export const NEO4J_VERSION = '5.26.21';
export const NEO4J_CHART = {
  chart: 'neo4j',
  version: NEO4J_VERSION,
  repo: 'https://helm.neo4j.com/neo4j',
} as const;
/** Community edition: the chart's default image for it is `neo4j:<version>`. */
export const NEO4J_IMAGE = `neo4j:${NEO4J_VERSION}`;

/** The Helm release name, which the chart also gives the StatefulSet and the ClusterIP Service. */
export const NEO4J_RELEASE = 'neo4j';
export const NEO4J_BOLT_PORT = 7687;
/** The only user of the community edition. */
export const NEO4J_USER = 'neo4j';
/** UID and GID the Neo4j image runs as. */
export const NEO4J_UID = 7474;

/** The chart refuses less (`neo4j.resources.minCPUMessage`, `minMemoryMessage`). */
const MIN_MILLICPU = 500;
const MIN_MEMORY_MIB = 2048;

const MEMORY_UNITS: Readonly<Record<string, number>> = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** A Kubernetes memory quantity in binary units (`2Gi`, `1536Mi`) as MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(quantity);
  const unit = match?.[2] && MEMORY_UNITS[match[2]];
  if (!match?.[1] || !unit) {
    throw new Error(
      `Neo4j memory "${quantity}" is not a binary quantity: give it in Mi, Gi or Ti, such as 8Gi`,
    );
  }
  return Math.floor(Number(match[1]) * unit);
}

/** A Kubernetes CPU quantity (`500m`, `2`, `0.5`) as millicores. */
export function millicores(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match?.[1]) {
    throw new Error(`Neo4j cpu "${quantity}" is not a CPU quantity such as 500m or 2`);
  }
  const value = Number(match[1]);
  return match[2] === 'm' ? value : value * 1000;
}

/** Throws, saying why, when the chart would refuse the resources. */
export function validateNeo4jResources({ cpu, memory }: { cpu: string; memory: string }): void {
  if (millicores(cpu) < MIN_MILLICPU) {
    throw new Error(`Neo4j cpu ${cpu} is below the chart's minimum of 500m`);
  }
  if (mebibytes(memory) < MIN_MEMORY_MIB) {
    throw new Error(`Neo4j memory ${memory} is below the chart's minimum of 2Gi`);
  }
}

/**
 * Heap and page cache sized from the container's memory (requests = limits): 40 % heap, 30 %
 * page cache, the rest for transaction state, network buffers and the JVM's own use. Left to
 * itself Neo4j sizes them from the node's memory, not the container's limit.
 */
export function neo4jMemorySettings(memory: string): Record<string, string> {
  const total = mebibytes(memory);
  const heap = `${Math.floor(total * 0.4)}m`;
  return {
    'server.memory.heap.initial_size': heap,
    'server.memory.heap.max_size': heap,
    'server.memory.pagecache.size': `${Math.floor(total * 0.3)}m`,
  };
}

/** The labels every object of the database carries; `component` tells server from backup. */
export const neo4jLabels = (component: 'database' | 'backup') => ({
  'app.kubernetes.io/name': 'neo4j',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
});
