// The DynamoDB tables, one per TableDef of functions/kernel/store/tables.ts (the system of record).
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { projectionOf, TABLES, type KeyDef, type TableDef, type TableId } from '../../functions/kernel/store/tables.ts';
import { deployedStackName } from './names.ts';

/** A deployed table with the definition it came from, so grants can name its indexes exactly. */
export interface ZoneTable {
  readonly def: TableDef;
  readonly table: TableV2;
  /** One ARN per global secondary index (no `index/*` wildcard in any policy). */
  readonly indexArns: readonly string[];
}

const attribute = (key: KeyDef): Attribute => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

/**
 * TableV2 (AWS::DynamoDB::GlobalTable) rather than Table: it is the construct AWS maintains going forward,
 * and a replica in a second region can be added later without replacing the table — the only way to do
 * that for years-long project records without an export/import migration.
 *
 * Encryption uses the AWS-managed key (aws/dynamodb): KMS encryption at rest with every key use in
 * CloudTrail, but no key policy to maintain and no kms:* grant on every function role. A customer-managed
 * key would only pay off for cross-account access or crypto-shredding, neither of which this system needs.
 */
export class Data extends Construct {
  readonly tables: ReadonlyMap<TableId, ZoneTable>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stackName = deployedStackName(this);
    const tables = new Map<TableId, ZoneTable>();
    for (const def of TABLES) {
      const table = new TableV2(this, def.id, {
        tableName: `${stackName}-${def.id}`,
        partitionKey: attribute(def.partitionKey),
        sortKey: def.sortKey && attribute(def.sortKey),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        encryption: TableEncryptionV2.awsManagedKey(),
        timeToLiveAttribute: def.ttlAttribute,
        dynamoStream: def.stream === 'NEW_IMAGE' ? StreamViewType.NEW_IMAGE : undefined,
        globalSecondaryIndexes: def.indexes.map((index) => {
          const projection = projectionOf(index);
          return {
            indexName: index.name,
            partitionKey: attribute(index.partitionKey),
            sortKey: index.sortKey && attribute(index.sortKey),
            projectionType: ProjectionType[projection.type],
            nonKeyAttributes: projection.nonKeyAttributes && [...projection.nonKeyAttributes],
          };
        }),
        // The record of every project lives here: a stack deletion must never take the data with it.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const indexArns = def.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
      tables.set(def.id, { def, table, indexArns });
    }
    this.tables = tables;
  }

  table(id: TableId): ZoneTable {
    const table = this.tables.get(id);
    if (!table) throw new Error(`no table ${id}`);
    return table;
  }
}
