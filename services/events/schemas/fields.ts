import { z } from 'zod';

/** Field types the record schemas share, so a uuid or an amount means the same on every topic. */
export const uuid = z.uuid();
export const timestamp = z.iso.datetime({ offset: true });
/** An exact decimal amount as a string (`12.5`), never a float: up to 18 decimals. */
export const decimal = z
  .string()
  .regex(/^-?\d+(\.\d{1,18})?$/, 'expected a decimal string such as 12.5');
