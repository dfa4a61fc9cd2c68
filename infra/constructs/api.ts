// The HTTP API: one route per catalog RouteSpec, JWT-verified unless public, with access logs and throttling.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type {
  CfnStage} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type CorsPreflightOptions,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsPolicy, gatewayMethods, type FunctionSpec } from '../../functions/catalog.ts';
import { acknowledge } from '../nag.ts';
import type { ZoneFunction } from './zone-function.ts';
import { deployedStackName } from './names.ts';

export interface ApiProps {
  /** Every catalog function: their methods are what CORS preflight allows. Routes are added per function (addRoutes). */
  readonly specs: readonly FunctionSpec[];
  /** The token issuer (`iss`) and the app client id (`aud`) the JWT authorizer accepts. */
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  /** Steady requests per second across the stage. @default 50 */
  readonly rateLimit?: number;
  /** Short burst above the steady rate. @default 100 */
  readonly burstLimit?: number;
  /** Browser origins allowed to call the API. @default none: CORS off (same-origin or server-side callers) */
  readonly corsOrigins?: readonly string[];
}

// HTTP API context variables: one JSON object per request, queryable in Logs Insights.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    // The function invocation's request id: the `requestId` of the function's Lambda log records (its timeout, a crash).
    integrationRequestId: '$context.integration.requestId',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
    responseLength: '$context.responseLength',
  }),
);

/** Preflight answers for the given origins: the catalog's CORS policy (corsPolicy in functions/catalog.ts). */
function corsFor(origins: readonly string[], specs: readonly FunctionSpec[]): CorsPreflightOptions {
  const policy = corsPolicy(specs.flatMap((spec) => spec.routes));
  return {
    allowOrigins: [...origins],
    allowMethods: policy.allowMethods.map((method) => CorsHttpMethod[method]),
    allowHeaders: [...policy.allowHeaders],
    exposeHeaders: [...policy.exposeHeaders],
    maxAge: Duration.seconds(policy.maxAgeSeconds),
  };
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'Http', {
      apiName: `${deployedStackName(this)}-api`,
      description: 'zoneflow HTTP API (routes from functions/catalog.ts)',
      corsPreflight: props.corsOrigins?.length ? corsFor(props.corsOrigins, props.specs) : undefined,
      // Our own $default stage below, to give it access logs and throttling.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // Routes with their own throttle (the public ones): route settings of the stage, keyed by route key.
    const routeSettings = Object.fromEntries(
      props.specs.flatMap((spec) =>
        spec.routes
          .filter((r) => r.throttle)
          .flatMap((r) => gatewayMethods(r).map((method) => [`${method} ${r.path}`, { ThrottlingRateLimit: r.throttle!.rate, ThrottlingBurstLimit: r.throttle!.burst }])),
      ),
    );
    if (Object.keys(routeSettings).length) (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    // Bound by the first JWT route; its resource is created under the HTTP API, wherever that route is.
    this.authorizer = new HttpJwtAuthorizer('Jwt', props.jwtIssuer, {
      authorizerName: 'cognito-jwt',
      jwtAudience: [...props.jwtAudience],
    });
  }

  /**
   * The routes of one catalog function, created in `scope` — the function's own (nested) stack, so a route, its
   * integration and its invoke permission deploy with the function they call and the parent template does not grow
   * with every route.
   */
  addRoutes(scope: Construct, spec: FunctionSpec, fn: ZoneFunction): void {
    if (spec.routes.length === 0) return;
    const integration = new HttpLambdaIntegration(`${spec.name}-integration`, fn.handler);
    // A GET route has a HEAD route beside it, to the same function (answered as the GET without its body).
    for (const [method, route] of spec.routes.flatMap((r) => gatewayMethods(r).map((m) => [m, r] as const))) {
      const created = new HttpRoute(scope, `${method}${route.path}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[method]),
        integration,
        authorizer: route.auth === 'jwt' ? this.authorizer : undefined,
      });
      // The stage's route settings name this route: API Gateway refuses settings for a route that does not exist yet.
      if (route.throttle) this.stage.node.addDependency(created);
      if (route.auth === 'public') {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${method} ${route.path} (${route.summary}) is public by contract: api.md opens it to anyone and ` +
            'the catalog marks it public; a public handler must never return project data.',
        );
      }
    }
  }
}
