import type {
  ExtendedGroupProtocolSubscription,
  GroupPartitionsAssigner,
  GroupPartitionsAssignments,
} from '@platformatic/kafka';

/**
 * Assigns each partition of the group's topics to a member that subscribed to its topic, the
 * least loaded first (ties to the lowest member id), so every member gets an even share of what
 * it reads. The library's round-robin assigner hands partitions to every member whatever each
 * subscribed to: a member would be given partitions it never fetches, and they would stay unread.
 * Topics only other members subscribed to are unknown to the leader (it fetched metadata for its
 * own topics): they wait for a leader that reads them, in practice the next rebalance once all
 * replicas run the same version. A member whose subscription lists no topics is taken to read all.
 */
export const subscribedTopicsAssigner: GroupPartitionsAssigner = (
  _current,
  members,
  topics,
  metadata,
) => {
  const ids = [...members.keys()].sort();
  const assignments = new Map<string, GroupPartitionsAssignments>(
    ids.map((memberId) => [memberId, { memberId, assignments: new Map() }]),
  );
  const load = new Map<string, number>(ids.map((id) => [id, 0]));
  const reads = (subscription: ExtendedGroupProtocolSubscription | undefined, topic: string) =>
    !subscription?.topics?.length || subscription.topics.includes(topic);
  const readersOf = new Map(
    [...topics].map((topic) => [topic, ids.filter((id) => reads(members.get(id), topic))]),
  );
  // Topics with the fewest readers first: those members' share fills before the others'.
  const order = [...topics].sort(
    (a, b) =>
      (readersOf.get(a)?.length ?? 0) - (readersOf.get(b)?.length ?? 0) || a.localeCompare(b),
  );
  for (const topic of order) {
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const readers = readersOf.get(topic) ?? [];
    if (readers.length === 0) continue;
    for (let partition = 0; partition < partitions; partition++) {
      const member = readers.reduce((best, id) =>
        (load.get(id) ?? 0) < (load.get(best) ?? 0) ? id : best,
      );
      load.set(member, (load.get(member) ?? 0) + 1);
      const memberAssignments = assignments.get(member)?.assignments;
      const assignment = memberAssignments?.get(topic) ?? { topic, partitions: [] };
      assignment.partitions.push(partition);
      memberAssignments?.set(topic, assignment);
    }
  }
  return [...assignments.values()];
};
