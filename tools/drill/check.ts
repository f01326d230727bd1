/** One verdict of a drill: what was checked, whether it held, and the figures behind it. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}
