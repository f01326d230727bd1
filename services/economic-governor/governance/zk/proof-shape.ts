import { BASE_FIELD, parseDecimal } from './field.js';

const isCoordinate = (value: unknown): boolean => {
  const parsed = parseDecimal(value);
  return parsed !== undefined && parsed < BASE_FIELD;
};

const isPoint = (value: unknown, width: number): boolean =>
  Array.isArray(value) &&
  value.length === width &&
  value.every((coordinate) => isCoordinate(coordinate));

const isG2Point = (value: unknown): boolean =>
  Array.isArray(value) && value.length === 3 && value.every((pair) => isPoint(pair, 2));

/**
 * What is wrong with a Groth16 proof's shape before any pairing is tried: undefined when it is
 * a groth16 proof on bn128 with every point's coordinates decimal and below the base field.
 */
export function proofProblem(proof: unknown): string | undefined {
  if (typeof proof !== 'object' || proof === null) return 'proof must be an object';
  const { pi_a, pi_b, pi_c, protocol, curve } = proof as Record<string, unknown>;
  if (protocol !== 'groth16') return 'proof.protocol must be "groth16"';
  if (curve !== 'bn128') return 'proof.curve must be "bn128"';
  if (!isPoint(pi_a, 3)) return 'proof.pi_a must be 3 decimal coordinates below the base field';
  if (!isG2Point(pi_b))
    return 'proof.pi_b must be 3 pairs of decimal coordinates below the base field';
  if (!isPoint(pi_c, 3)) return 'proof.pi_c must be 3 decimal coordinates below the base field';
  return undefined;
}
