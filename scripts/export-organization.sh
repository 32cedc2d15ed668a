#!/usr/bin/env bash
# Export an AWS Organizations tree and its SCPs and RCPs as JSON files, in
# the folder layout that iamsim's import_organization reads (docs/import.md).
#
# Usage: scripts/export-organization.sh OUTPUT_FOLDER
#
# Run it with credentials of the management account or of a delegated
# administrator for Organizations; it only calls read-only List and Describe
# operations. The AWS CLI joins paginated results itself, so each file holds
# one complete response.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTPUT_FOLDER" >&2
    exit 2
fi
out=$1
policy_types=(SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY)

orgs() {
    aws organizations "$@" --output json
}

ids() {
    # The ids a listing returns, one per line; $1 is the JMESPath query.
    local query=$1
    shift
    aws organizations "$@" --query "$query" --output text | tr '\t' '\n' | grep -v '^None$' || true
}

export_parent() {
    local parent=$1 child
    orgs list-accounts-for-parent --parent-id "$parent" >"$out/accounts/$parent.json"
    orgs list-organizational-units-for-parent --parent-id "$parent" >"$out/ous/$parent.json"
    for child in $(ids 'OrganizationalUnits[].Id' list-organizational-units-for-parent --parent-id "$parent"); do
        export_parent "$child"
    done
}

export_policies() {
    local type=$1 policy
    orgs list-policies --filter "$type" >"$out/policies/$type.json"
    for policy in $(ids 'Policies[].Id' list-policies --filter "$type"); do
        orgs list-targets-for-policy --policy-id "$policy" >"$out/policy-targets/$policy.json"
        orgs describe-policy --policy-id "$policy" >"$out/policy-content/$policy.json"
    done
}

mkdir -p "$out"/{ous,accounts,policies,policy-targets,policy-content}
orgs describe-organization >"$out/organization.json"
orgs list-roots >"$out/roots.json"
root=$(ids 'Roots[0].Id' list-roots)
export_parent "$root"
for type in "${policy_types[@]}"; do
    export_policies "$type"
done
echo "wrote the organization export to $out" >&2
