// The part of snarkjs's R1CS API the benchmark reads (services' snarkjs.d.ts declares the rest).
declare module 'snarkjs' {
  export const r1cs: {
    info(
      file: string,
    ): Promise<{ nConstraints: number; nVars: number; nPubInputs: number; nOutputs: number }>;
  };
}
