import {
  type ClusterMetadata,
  Consumer,
  FetchIsolationLevels,
  type FetchOptions,
  type fetchV17,
  type ListOffsetsOptions,
  type MetadataOptions,
  type Offsets,
} from '@platformatic/kafka';
import { type KafkaConnectionSettings, kafkaConnection } from './kafka-transport.js';

/** Between the library's own retries of one request, in milliseconds. */
const RETRY_DELAY_MS = 100;

/**
 * The part of `@platformatic/kafka`'s `Consumer` a fan-out reader uses: cluster metadata, offset
 * listing and plain fetches at offsets it chooses. Nothing here joins a group or commits, so a
 * reader shares nothing with the services' consumer groups.
 */
export interface FanOutClient {
  metadata(options: MetadataOptions): Promise<ClusterMetadata>;
  listOffsets(options: ListOffsetsOptions): Promise<Offsets>;
  fetch(options: FetchOptions<Buffer, Buffer, Buffer, Buffer>): Promise<fetchV17.FetchResponse>;
  close(): Promise<void>;
}

/**
 * A `Consumer` used only for `metadata`, `listOffsets` and `fetch`: it never calls `consume`,
 * `commit` or `joinGroup`, so its `groupId` (which the client requires) is never sent and needs no
 * ACL. Reads are `read_committed`, as the transport's consumers read. Topics named in `metadata`
 * are tracked by the client so its own fetch path (leader and preferred-replica routing, topic
 * names for brokers older than Fetch v13) knows them.
 */
export function fanOutConsumer(settings: KafkaConnectionSettings): FanOutClient {
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
    ...kafkaConnection(settings),
    groupId: `${settings.clientId}.fan-out.unused`,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    autocommit: false,
    // One quick retry (a leader that just moved); past that the reader's own backoff paces it.
    retries: 1,
    retryDelay: RETRY_DELAY_MS,
  });
  return {
    metadata: (options) => {
      for (const topic of options.topics ?? [])
        if (!consumer.topics.has(topic)) consumer.topics.track(topic);
      return consumer.metadata(options);
    },
    listOffsets: (options) => consumer.listOffsets(options),
    fetch: (options) => consumer.fetch(options),
    close: () => consumer.close(true),
  };
}
