// Who may act on the routes whose actors the configuration names, as the configuration in force names them: the
// OpenAPI document's `x-roles` for those routes (the declaration's own list is every staff role, the gate the route
// opens before the handler reads the configuration and decides). A portal building its menus from `x-roles` then
// offers a letter, an interview, a joint assessment or an inventory only to those the handler lets act.
import type { Role } from '#kernel/domain/codes.ts';
import { INVENTORY_KINDS, inventoryReaders } from '#inventory/domain/resource.ts';
import { getConfig } from '#reference/store/reference.ts';
import { assessmentDepartments } from '#supervision/domain/assessment.ts';
import { complianceCheckers } from '#supervision/domain/compliance.ts';
import { interviewer } from '#supervision/domain/interview.ts';
import { handIssuers } from '#supervision/domain/letter.ts';

export interface RolesInForce {
  /** The configuration versions they were read from: the document is generated again when one moves. */
  readonly versions: string;
  /** Route name → the roles that may act on it now. */
  readonly roles: Readonly<Record<string, readonly Role[]>>;
}

export async function rolesInForce(): Promise<RolesInForce> {
  const [letters, escalation, inventory] = await Promise.all([getConfig('letters'), getConfig('escalation'), getConfig('inventory')]);
  const inv = inventory.doc;
  const owners = [...new Set(INVENTORY_KINDS.flatMap((kind) => inv.kinds[kind].owners))];
  const readers = inventoryReaders(inv);
  return {
    versions: `letters ${letters.version}, escalation ${escalation.version}, inventory ${inventory.version}`,
    roles: {
      'send-letter': handIssuers(letters.doc),
      'record-interview': [interviewer(escalation.doc)],
      'record-assessment': assessmentDepartments(escalation.doc),
      'record-compliance-check': complianceCheckers(escalation.doc),
      'inventory-summary': readers,
      'list-inventory': readers,
      'get-resource': readers,
      'create-resource': owners,
      'update-resource': owners,
      'confirm-resource': owners,
    },
  };
}
