/**
 * Waits until a consumer group is Stable with every partition of its topics assigned: the moment
 * a lag run may start its clock (before it, records wait for the sink to start and join, which is
 * start-up time, not lag under load).
 */
import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import { sleep } from './result.ts';

/** Partitions assigned to the group's members, or 0 while it is not Stable. */
async function assignedPartitions(admin: Admin, groupId: string): Promise<number> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (group?.state !== 'Stable') return 0;
  let n = 0;
  for (const m of group.members) {
    const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    for (const partitions of Object.values(decoded?.assignment ?? {})) n += partitions.length;
  }
  return n;
}

/** Seconds until `partitions` are assigned in the group; throws after timeoutMs. */
export async function waitGroupJoined(kafka: Kafka, groupId: string, partitions: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      if ((await assignedPartitions(admin, groupId)) >= partitions) return (performance.now() - started) / 1000;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`consumer group ${groupId} did not get its ${partitions} partitions within ${timeoutMs / 1000} s`);
      }
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}
