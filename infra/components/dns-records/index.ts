export {
  type AddressRecord,
  DnsRecords,
  type DnsRecordsArgs,
  fullyQualified,
} from './dns-records.js';
