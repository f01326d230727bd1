import { resolve } from 'node:path';
import type { ObjectStorage } from '../../platform/object-storage.js';
import { filesystemReportStore } from './filesystem-report-store.js';
import type { ReportStore } from './report-store.js';
import { s3ReportStore } from './s3-report-store.js';

/** Where a local run without object storage keeps reports: beside `npm start`'s other data. */
export const LOCAL_REPORTS_DIRECTORY = '.data/venture-reports';

/** Which store the reports went to, for the start's log line. */
export interface ChosenReportStore {
  readonly store: ReportStore;
  /** `s3://<bucket>` or the folder's absolute path. */
  readonly location: string;
}

/**
 * The report store of the service: the bucket of `stores.objectStorage` when the configuration
 * names one (always on the deployed stacks, which refuse to start without it), otherwise a folder
 * (`directory`, default {@link LOCAL_REPORTS_DIRECTORY} under the working directory).
 */
export function createReportStore(
  objectStorage: ObjectStorage | undefined,
  directory: string = LOCAL_REPORTS_DIRECTORY,
): ChosenReportStore {
  if (objectStorage !== undefined)
    return { store: s3ReportStore(objectStorage), location: `s3://${objectStorage.bucket}` };
  const folder = resolve(directory);
  return { store: filesystemReportStore(folder), location: folder };
}
