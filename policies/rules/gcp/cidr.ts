/** True for a range that matches every address: `0.0.0.0/0`, `::/0` (any `/0`). */
export const isAnywhere = (cidr: string): boolean => cidr.trim().endsWith('/0');
