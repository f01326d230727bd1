/** BN254's scalar field: every signal of the vote circuit is an element of it. */
export const SCALAR_FIELD =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** BN254's base field: every coordinate of a Groth16 proof's curve points is an element of it. */
export const BASE_FIELD =
  21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;

/** A canonical decimal string (what snarkjs writes) as a bigint, or undefined. */
export function parseDecimal(value: unknown): bigint | undefined {
  return typeof value === 'string' && DECIMAL.test(value) ? BigInt(value) : undefined;
}
