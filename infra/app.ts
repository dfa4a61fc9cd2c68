// CDK CLI entry (cdk.json "app"): `cdk synth -c stage=dev -c alarmEmail=ops@example.org`.
import { createZoneflowApp } from './zoneflow-app.ts';

createZoneflowApp();
