/** True for a range that matches every address: `0.0.0.0/0`, `::/0` (any `/0`). */
export const isAnywhere = (cidr: string): boolean => cidr.trim().endsWith('/0');

/** True for the documentation ranges of RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). */
export const isDocumentationRange = (cidr: string): boolean =>
  /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(cidr.trim());

/** True for an RFC 1918 (private) IPv4 range. */
export const isPrivateRange = (cidr: string): boolean =>
  /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(cidr.trim());
