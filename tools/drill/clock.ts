/** Now, in microseconds since the epoch (sub-millisecond, from the monotonic clock's origin). */
export const nowUs = (): bigint =>
  BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
