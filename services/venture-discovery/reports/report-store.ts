/**
 * Where report files live: object storage through the S3 API, or a folder for local runs without
 * one. Write-once: an object, once written, is never replaced (a changed report is a new
 * version under a new key), so a `put` to a taken key is refused, not applied.
 */

/** An object to write. */
export interface NewObject {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  /** Small facts kept with the object (S3 user metadata): lowercase names, ASCII values. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** An object read back. */
export interface StoredObject extends NewObject {
  /** When the store took it (ISO 8601). */
  readonly lastModified: string;
}

/** One page of keys under a prefix, in key order; `next` continues after the last one. */
export interface KeyPage {
  readonly keys: readonly string[];
  readonly next?: string;
}

export interface ListOptions {
  /** Continue after this key (the `next` of the previous page). */
  readonly after?: string;
  /** At most this many keys (the store may return fewer, and still a `next`). */
  readonly limit: number;
}

/** `created`: the object is stored; `exists`: the key was taken and nothing was written. */
export type PutResult = 'created' | 'exists';

export interface ReportStore {
  /** Writes `object` if its key is free; never replaces an object. */
  putIfAbsent(object: NewObject): Promise<PutResult>;
  /** The object at `key`, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Keys that start with `prefix`, in (byte-wise) key order. */
  list(prefix: string, options: ListOptions): Promise<KeyPage>;
}
