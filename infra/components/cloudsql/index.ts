export { CloudSqlAuditors, type CloudSqlAuditorsArgs } from './auditors.js';
export {
  CloudSqlPostgres,
  type CloudSqlPostgresArgs,
  type ServiceDatabaseOutputs,
} from './cloudsql.js';
export { postgresUrl, type ServiceDatabase, validateDatabases } from './databases.js';
export {
  BACKUP_WINDOW_HOURS,
  defaultExportStartHour,
  EXPORT_MARGIN_MINUTES,
  type ExportTiming,
  exportWindowProblems,
} from './export-window.js';
export {
  CloudSqlExports,
  type CloudSqlExportsArgs,
  exportRequest,
  exportSchedule,
} from './exports.js';
export {
  type AuditorGrant,
  type GrantStep,
  type IamDatabaseGrant,
  iamDatabaseUser,
  iamGrantSteps,
  iamGrantsScript,
} from './iam-grants.js';
export {
  CloudSqlIamUsers,
  type CloudSqlIamUsersArgs,
  SERVICE_CLOUDSQL_ROLES,
} from './iam-users.js';
export {
  backupStartTime,
  type InstanceSettingsInput,
  postgresDatabaseFlags,
  primarySettings,
  replicaSettings,
  sqlEdition,
  validateInstanceSettings,
} from './settings.js';
