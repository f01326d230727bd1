// The part of snarkjs's zkey and R1CS API the setup's checks and the benchmark use (snarkjs ships
// no types; the services' snarkjs.d.ts declares what proving and verifying use).
declare module 'snarkjs' {
  /** A coefficient of the A (matrix 0) or B (matrix 1) polynomial a Groth16 proving key holds. */
  export interface ZkeyCoefficient {
    matrix: number;
    constraint: number;
    signal: number;
    value: string;
  }
  export const zKey: {
    exportVerificationKey(zkeyFile: string): Promise<object>;
    exportJson(
      zkeyFile: string,
    ): Promise<{ nVars: number; nPublic: number; ccoefs: ZkeyCoefficient[] }>;
  };
  export const r1cs: {
    info(
      file: string,
    ): Promise<{ nConstraints: number; nVars: number; nPubInputs: number; nOutputs: number }>;
    exportJson(file: string): Promise<{
      nVars: number;
      nPubInputs: number;
      nOutputs: number;
      nConstraints: number;
      constraints: [Record<string, string>, Record<string, string>, Record<string, string>][];
    }>;
  };
}
