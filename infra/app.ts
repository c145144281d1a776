/** CDK entry point (cdk.json: `npx tsx infra/app.ts`). Settings: CDK context, see docs/deploy.md. */
import { buildSeatkeeperApp } from './stack/seatkeeperApp.ts';

buildSeatkeeperApp().app.synth();
