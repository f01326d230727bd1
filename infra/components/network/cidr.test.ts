import { describe, expect, it } from 'vitest';
import { parseCidr } from './cidr.js';

describe('parseCidr', () => {
  it('splits a range into address and prefix length', () => {
    expect(parseCidr('10.30.0.0/16')).toEqual({ address: '10.30.0.0', prefixLength: 16 });
  });

  it('refuses what is not an IPv4 range, with the value in the message', () => {
    expect(() => parseCidr('10.30.0.0')).toThrow('"10.30.0.0" is not an IPv4 CIDR range');
    expect(() => parseCidr('10.300.0.0/16')).toThrow(/not an IPv4 CIDR range/);
    expect(() => parseCidr('10.30.0.0/33')).toThrow(/not an IPv4 CIDR range/);
  });
});
