// E-mail through SES v2 from the deployment's verified identity. Named imports: the bundle keeps one command, not the
// whole SDK client.
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailMessage } from './domain/messages.ts';

let client: SESv2Client | undefined;

export async function sendWithSes(from: string, m: MailMessage): Promise<void> {
  client ??= new SESv2Client({});
  await client.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [...m.to] },
      Content: { Simple: { Subject: { Data: m.subject, Charset: 'UTF-8' }, Body: { Text: { Data: m.text, Charset: 'UTF-8' } } } },
      EmailTags: [{ Name: 'notification', Value: m.id.replace(/[^A-Za-z0-9_-]/g, '_') }],
    }),
  );
}
