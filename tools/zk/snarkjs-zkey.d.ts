// The part of snarkjs's zkey API the artifacts test uses (snarkjs ships no types).
declare module 'snarkjs' {
  export const zKey: {
    exportVerificationKey(zkeyFile: string): Promise<object>;
  };
}
