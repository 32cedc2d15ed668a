"""A small organization with member accounts, shared by the world tests.

Layout: the management account 111111111111 sits under the root; 222222222222
sits in the Prod OU and holds the users, roles, providers and resources;
333333333333 sits under the root with its own SCP; 444444444444 is outside
the organization.
"""

from __future__ import annotations

from datetime import UTC, datetime

from iamsim.world.model import World
from iamsim.world.query import Query, SessionSpec
from iamsim.world.resolve import Resolution, resolve
from iamsim.world.scenario import Scenario, scenario_from_text

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
ORG_ID = "o-a1b2c3d4e5"
PROD_PATH = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
ALICE = "arn:aws:iam::222222222222:user/eng/alice"
BOB = "arn:aws:iam::222222222222:user/bob"
DEV = "arn:aws:iam::222222222222:role/Dev"
BUCKET = "arn:aws:s3:::data-bucket"
KEY = "arn:aws:kms:us-east-1:222222222222:key/k1"

SCENARIO = """
organization:
  id: o-a1b2c3d4e5
  management_account: "111111111111"
  root:
    id: r-ab12
    scps: [FullAWSAccess, RootGuard]
    accounts:
      - "111111111111"
      - {id: "333333333333", scps: [FullAWSAccess, DenyEc2]}
    ous:
      - name: Prod
        id: ou-ab12-11111111
        scps: [FullAWSAccess, DenyIam]
        rcps: [DenyOutsideS3]
        accounts: [{id: "222222222222"}]
policies:
  S3Read:
    Version: "2012-10-17"
    Statement: [{Effect: Allow, Action: ["s3:Get*", "s3:List*"], Resource: "*"}]
  S3AndSts:
    Version: "2012-10-17"
    Statement: [{Effect: Allow, Action: ["s3:*", "sts:*"], Resource: "*"}]
  DenyIam:
    Version: "2012-10-17"
    Statement: [{Effect: Deny, Action: "iam:*", Resource: "*"}]
  DenyEc2:
    Version: "2012-10-17"
    Statement: [{Effect: Deny, Action: "ec2:*", Resource: "*"}]
  RootGuard:
    Version: "2012-10-17"
    Statement: [{Effect: Deny, Action: "organizations:LeaveOrganization",
                 Resource: "*"}]
  DenyOutsideS3:
    Version: "2012-10-17"
    Statement:
      - Effect: Deny
        Principal: "*"
        Action: "s3:*"
        Resource: "*"
        Condition:
          StringNotEqualsIfExists: {aws:PrincipalOrgID: o-a1b2c3d4e5}
accounts:
  "111111111111":
    resources:
      - arn: arn:aws:s3:::mgmt-bucket
  "222222222222":
    users:
      alice:
        path: /eng/
        groups: [devs]
        policies:
          - {Version: "2012-10-17",
             Statement: [{Effect: Allow, Action: "sqs:*", Resource: "*"}]}
        permissions_boundary: S3AndSts
        tags: {Team: blue, cost: 42}
      bob: {}
    groups:
      devs: {policies: [S3Read]}
    roles:
      Dev:
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "222222222222"}
              Action: ["sts:AssumeRole", "sts:TagSession"]
        policies: [S3Read]
        permissions_boundary: S3AndSts
        tags: {team: red, env: dev}
      AWSServiceRoleForExample:
        path: /aws-service-role/example.amazonaws.com/
        service_linked: true
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Service: example.amazonaws.com}
              Action: sts:AssumeRole
      Web:
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                Federated: >-
                  arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com
              Action: sts:AssumeRoleWithWebIdentity
    saml_providers: [Corp]
    oidc_providers: [https://token.actions.githubusercontent.com]
    resources:
      - arn: arn:aws:s3:::data-bucket
        tags: {env: prod}
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::444444444444:root"}
              Action: s3:GetObject
              Resource: "arn:aws:s3:::data-bucket/*"
      - arn: arn:aws:kms:us-east-1:222222222222:key/k1
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::222222222222:root"}
              Action: kms:*
              Resource: "*"
  "333333333333": {}
  "444444444444":
    users:
      carol: {policies: [S3Read]}
requests:
  - name: alice reads the bucket
    principal: arn:aws:iam::222222222222:user/eng/alice
    action: s3:GetObject
    resource: arn:aws:s3:::data-bucket/report.csv
    expect: Allow
"""


def load() -> Scenario:
    """The shared scenario, freshly loaded."""
    return scenario_from_text(SCENARIO, source="world.yaml")


def ask(
    world: World,
    principal: str,
    action: str = "s3:GetObject",
    resource: str = BUCKET,
    session: SessionSpec | None = None,
) -> Resolution:
    """Resolve one request at :data:`NOW`."""
    return resolve(world, Query(principal, action, resource, session), now=NOW)
