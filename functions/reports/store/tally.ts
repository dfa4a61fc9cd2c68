// The park tally 园区统计 in the projects table: the keys-only `byTally` index, one zone partition (`gsiTally = ZONE`)
// sorted by park (`gsiTallySk`, kernel/domain/tally.ts). Written by the project and task entity modules (`toItem` in
// projects/store/projects.ts, `taskItem` in lifecycle/store/tasks.ts); read here.
//
// Access patterns:
//   one park      Query byTally gsiTally = ZONE AND begins_with(gsiTallySk, '["<park>",')  — its projects and open tasks
//   the zone      Query byTally gsiTally = ZONE                                             — every park's
// About 110 bytes an entry (the table's keys and the index's; measured), so a 1 MB page holds ~9,000: a park of 2,000
// projects and 5,000 open tasks is one call of ~95 read units (eventually consistent), whatever the rest of the zone holds.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parkTallyPrefix, readTallyKey, TALLY_PARTITION, type TallyEntry } from '#kernel/domain/tally.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export interface TallyRead {
  readonly entries: TallyEntry[];
  /** DynamoDB calls and read units the read took (the bench and the cost test report them). */
  readonly calls: number;
  readonly readUnits: number;
}

/** Every tally entry of one park, or of the zone (no park): page after page of the index's keys — never a project item. */
export async function readTally(park?: string): Promise<TallyRead> {
  const entries: TallyEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  let calls = 0;
  let readUnits = 0;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'byTally',
        KeyConditionExpression: park === undefined ? 'gsiTally = :z' : 'gsiTally = :z AND begins_with(gsiTallySk, :p)',
        ExpressionAttributeValues: { ':z': TALLY_PARTITION, ...(park === undefined ? {} : { ':p': parkTallyPrefix(park) }) },
        ProjectionExpression: 'gsiTallySk',
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    calls += 1;
    readUnits += out.ConsumedCapacity?.CapacityUnits ?? 0;
    for (const item of out.Items ?? []) {
      const entry = readTallyKey(String(item.gsiTallySk));
      if (entry) entries.push(entry);
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { entries, calls, readUnits };
}
