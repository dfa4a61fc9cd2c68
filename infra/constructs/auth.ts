// Who may call the API: the Cognito user pool (one group per role code), the portal's app client, the issuer the API trusts.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, ROLE_LABELS } from '../../functions/kernel/domain/codes.ts';
import { MAX_IDENTITY_CHARS } from '../../functions/kernel/http/claims.ts';
import { deployedStackName } from './names.ts';

/** Custom attributes the handlers read as `custom:<name>` claims of the ID token. */
export const IDENTITY_ATTRIBUTES = ['department', 'enterprise', 'park'] as const;

/** What an app client may read of a user: the claims the API's principal is built from (every client the API accepts). */
export const identityReadAttributes = () =>
  new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true, preferredUsername: true }).withCustomAttributes(...IDENTITY_ATTRIBUTES);

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The `iss` of the pool's tokens, which the API's JWT authorizer verifies. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: deployedStackName(this),
      // Accounts are issued by ops to known departments and investors, never self-created.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Required, TOTP only: these accounts approve stage gates, decide exits and write an audit trail that
      // discipline inspection relies on, so a leaked password alone must not be enough (cdk-nag COG2). SMS is
      // left out: it needs an SNS spending setup and is the weaker, SIM-swappable factor.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus plan with enforced threat protection: blocks sign-ins with credentials known to be leaked and
      // risky sign-ins (cdk-nag COG8). Its price per monthly active user is small for a zone's few hundred users.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: Object.fromEntries(
        IDENTITY_ATTRIBUTES.map((name) => [name, new StringAttribute({ mutable: true, maxLen: MAX_IDENTITY_CHARS })]),
      ),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `${ROLE_LABELS[role].zh} ${ROLE_LABELS[role].en}`,
      });
    }

    const identity = identityReadAttributes();
    this.client = this.userPool.addClient('Portal', {
      userPoolClientName: 'portal',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: identity,
      // department/enterprise/park decide what a user may touch, and `name` is the actor the timeline and the audit
      // log show: only ops (admin API) set them. Users may set their locale and time zone, nothing that identifies
      // them. (An empty list would not do: Cognito reads "no write attributes" as "every attribute writable".)
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
    });

    // Built the way Cognito writes `iss`, not from the ProviderURL attribute, whose form (scheme or not) is not
    // documented; one character off and every request is 401.
    const stack = Stack.of(this);
    this.issuerUrl = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
