/**
 * Kubernetes CPU and memory quantities as whole numbers, so budgets add up exactly: CPU in
 * millicores, memory in MiB. Only the forms the platform writes are accepted.
 */

const MIB = 1024 * 1024;
/** Bytes per unit of a Kubernetes memory quantity. */
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
  Ti: 1024 * 1024 * MIB,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** `500m` → 500, `2` → 2000, `0.5` → 500. */
export function millicores(quantity: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(quantity));
  if (!match?.[1]) throw new Error(`CPU quantity "${quantity}" is not like 500m or 2`);
  const value = Number(match[1]);
  return Math.ceil(match[2] === 'm' ? value : value * 1000);
}

/** `512Mi` → 512, `2Gi` → 2048, `1G` → 954 (MiB, rounded up); `0` → 0. */
export function mebibytes(quantity: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
  const unit = MEMORY_UNITS[match?.[2] ?? ''];
  if (!match?.[1] || !unit) {
    throw new Error(`memory quantity "${quantity}" is not like 512Mi, 2Gi or 1G`);
  }
  return Math.ceil((Number(match[1]) * unit) / MIB);
}

/** 2500 → `2500m`, 0 → `0`. */
export const cpuQuantity = (millicpu: number): string => (millicpu === 0 ? '0' : `${millicpu}m`);

/** 3072 → `3Gi`, 1536 → `1536Mi`, 0 → `0`. */
export const memoryQuantity = (mib: number): string =>
  mib === 0 ? '0' : mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
