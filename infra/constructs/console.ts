// The zone console on AWS: its static files in a private S3 bucket served by CloudFront through origin access control
// (no public bucket, no website endpoint), and Cognito's hosted UI for sign-in with a client of its own (authorization
// code + PKCE, no secret: a page cannot keep one). The API's JWT authorizer accepts this client's ID tokens (the stack
// adds its id to the audience) and CORS admits the console's origin. config.json tells the page where both are.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { ClientAttributes, OAuthScope, UserPoolClientIdentityProvider, type UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { type Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleCsp, stageConsole } from '../console-assets.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { identityReadAttributes } from './auth.ts';

export interface ConsoleProps {
  readonly userPool: UserPool;
  /** The hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region. */
  readonly domainPrefix: string;
}

export class Console extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** https://<distribution domain>: the console's origin (CORS) and its sign-in callback (with a trailing slash). */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);

    // CloudFront's standard logs need ACLs on their bucket (log delivery writes with one); nothing else does.
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, 'AwsSolutions-S1', 'This is the access-log bucket of the console bucket and distribution: logging it into itself would loop.');

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Every deploy rewrites its files; versioning keeps the replaced ones a month (a bad console can be put back).
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      // Kept when the stack is deleted: CloudFormation deletes no bucket with objects in it, and the deployment leaves
      // the files (with their versions), so a bucket deleted with the stack stopped `cdk destroy` at DELETE_FAILED. Its
      // name is generated, so a stage created again makes a new one (docs/deploy.md, "Removing a stage").
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });

    // The page talks to the API and to Cognito's token endpoint only; no inline script, no framing.
    const stack = Stack.of(this);
    const cognitoHost = `${props.domainPrefix}.auth.${stack.region}.amazoncognito.com`;
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp([`https://*.execute-api.${stack.region}.${Aws.URL_SUFFIX}`, `https://${cognitoHost}`], [`https://${cognitoHost}`]),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'zoneflow console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'Served on the default *.cloudfront.net certificate, whose security policy CloudFront fixes (a minimum of TLSv1.2 needs a ' +
        'custom domain with an ACM certificate in us-east-1, a deploy-time choice); the console holds no data itself, the API is TLS 1.2.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: investors of foreign enterprises sign in from abroad; every request for data goes to the API behind Cognito sign-in.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF on the console distribution: it serves a few static files to signed-in staff and investors; a web ACL for CloudFront ' +
        'must live in us-east-1 (a second stack). The API is throttled per stage and per route and verifies every JWT.',
    );

    this.domain = props.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    const identity = identityReadAttributes();
    this.client = props.userPool.addClient('Console', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      readAttributes: identity,
      // As the portal client: users may set their locale and time zone, nothing that decides what they may touch.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
    });
  }

  /** Uploads the bundle built at synth and the page's config.json (API URL, hosted UI, client), then invalidates the CDN. */
  deploy(apiUrl: string): BucketDeployment {
    const files = stageConsole(mkdtempSync(join(tmpdir(), 'zoneflow-console-')));
    // CDK's deployment function, on a role and a log group of ours: no managed policy, logs to its own group only, kept
    // a year like every function's (the house rules of constructs/zone-function.ts).
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const role = new Role(this, 'DeploymentRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'Uploads the console files and invalidates its distribution (CDK bucket deployment)' });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const deployment = new BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(files),
        Source.jsonData('config.json', {
          apiBase: apiUrl.replace(/\/$/, ''),
          cognito: { domain: this.domain.baseUrl().replace(/^https:\/\//, ''), clientId: this.client.userPoolClientId, redirectUri: `${this.origin}/` },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 256,
      role,
      logGroup,
    });
    // The grants CDK adds to that role, each finding acknowledged by name; the function itself is CDK's singleton.
    const stack = Stack.of(this);
    for (const handler of stack.node.children.filter((c): c is LambdaFunction => c instanceof LambdaFunction && c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      acknowledge(handler, 'AwsSolutions-L1', "The runtime of CDK's bucket-deployment function is chosen and tested by the CDK release; it runs at deploy time only.");
    }
    const policy = role.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    const statements = (stack.resolve(policy?.document.toJSON()) as { Statement?: { Action: string | string[]; Resource: unknown }[] } | undefined)?.Statement ?? [];
    for (const statement of statements) {
      for (const action of [statement.Action].flat().filter((a) => a.includes('*'))) {
        acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `CDK's bucket deployment copies the asset objects into the console bucket and prunes the rest: ${action} on those two buckets only.`);
      }
      for (const resource of [statement.Resource].flat().filter((r) => JSON.stringify(r).includes('*'))) {
        acknowledge(
          role,
          wildcardResourceFinding(role, resource as string),
          resource === '*'
            ? 'cloudfront:CreateInvalidation and GetInvalidation, granted by CDK on "*": the deployment invalidates the console distribution after an upload.'
            : "Object-level wildcard of the synth's asset bucket (read) or the console bucket (write, prune): the deployment copies whole directories.",
        );
      }
    }
    return deployment;
  }
}
