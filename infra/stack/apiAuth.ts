/**
 * Who may call the API: a JWT authorizer on every route. By default the stack
 * creates a Cognito user pool with the two role groups and an app client;
 * with `-c issuer=… -c audience=…` it trusts an existing OIDC provider instead.
 */
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolDomain,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '#core/roles.ts';
import type { SeatkeeperConfig } from './config.ts';
import { acknowledgeNag } from './nag.ts';

export class ApiAuth extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** Cognito's managed login for the console (https://<prefix>.auth.<region>.amazoncognito.com). */
  readonly domain?: UserPoolDomain;

  /** `consoleUrl`: the web console's address, where Cognito's managed login sends people back after sign-in and sign-out. */
  constructor(scope: Construct, id: string, config: SeatkeeperConfig, consoleUrl: string) {
    super(scope, id);

    if (config.oidc) {
      // API Gateway reads <issuer>/.well-known/openid-configuration for the signing keys.
      this.authorizer = new HttpJwtAuthorizer('OidcAuthorizer', config.oidc.issuer, {
        jwtAudience: config.oidc.audience,
        identitySource: ['$request.header.Authorization'],
      });
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
      // Administrators are invited (admin-create-user); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Every account here administers people or licences: a second factor is required.
      // Authenticator apps only (SMS needs an SNS role and costs per message).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // The email is the sign-in name and the recovery channel: a changed address takes effect only once its
      // owner confirms the code sent to it, so a stolen session cannot move either to another mailbox.
      keepOriginal: { email: true },
      featurePlan: FeaturePlan.ESSENTIALS,
      // The administrators' identities (and their MFA enrolment) outlive the stack, like the tables.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    acknowledgeNag(
      userPool,
      'AwsSolutions-COG8',
      'Essentials plan: a handful of invited administrators with required TOTP MFA and no self sign-up; the Plus plan (threat protection) has no free tier. Set featurePlan to PLUS if compromised-credential detection is wanted.',
    );

    // Groups and client stay with the pool when the stack goes, so a kept pool is whole: a new stack can
    // trust it with -c issuer=https://cognito-idp.<region>.amazonaws.com/<pool id> -c audience=<client id>.
    for (const [groupName, description] of Object.entries(ROLES)) {
      userPool.addGroup(groupName, { groupName, description }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    const client = userPool.addClient('ApiClient', {
      generateSecret: false,
      // SRP for browser apps. USER_PASSWORD_AUTH stays on: it is how docs/deploy.md has an administrator sign in
      // with the AWS CLI (which has no SRP), over TLS to Cognito, and MFA is still required after the password
      // (Mfa.REQUIRED above), so a password alone never yields a token. No admin or custom auth flows.
      authFlows: { userSrp: true, userPassword: true },
      // The web console: authorization code with PKCE (a public client: no secret), back to the console only.
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      preventUserExistenceErrors: true,
      // Administrators may edit their own name, not their email: it is changed by whoever invites them.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, givenName: true, familyName: true }),
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    client.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // Managed login, where the console sends people to sign in (password, then the required TOTP code).
    this.domain = userPool.addDomain('ConsoleSignIn', {
      cognitoDomain: { domainPrefix: config.console.domainPrefix! },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows nothing without a style for the client: Cognito's own.
    new CfnManagedLoginBranding(this, 'ConsoleSignInStyle', {
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    }).node.addDependency(this.domain);

    // Issuer https://cognito-idp.<region>.amazonaws.com/<pool id>; audience = the app client
    // (API Gateway checks `aud` in ID tokens and `client_id` in access tokens).
    this.authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', userPool, {
      userPoolClients: [client],
      identitySource: ['$request.header.Authorization'],
    });
    this.userPool = userPool;
    this.userPoolClient = client;

    new CfnOutput(this, 'UserPoolId', {
      key: 'UserPoolId',
      value: userPool.userPoolId,
      description: 'Cognito user pool of the administrators: invite them here and add them to people-admin / license-admin.',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      key: 'UserPoolClientId',
      value: client.userPoolClientId,
      description: 'App client to sign in with (the JWT audience the API accepts).',
    });
  }
}
