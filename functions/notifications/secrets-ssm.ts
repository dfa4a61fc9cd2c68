// The secret store on AWS: SSM Parameter Store SecureString parameters under the stack's prefix (the account's aws/ssm
// key). Named imports: the bundle keeps the three commands, not the whole SDK client (a dynamic import() of it kept
// 225 KB instead of 77).
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export class ParameterSecrets {
  private client: SSMClient | undefined;
  constructor(private readonly prefix: string) {}
  private ssm(): SSMClient {
    this.client ??= new SSMClient({});
    return this.client;
  }
  /** `name` is checked by the caller (secrets.ts). */
  async put(name: string, value: string): Promise<void> {
    await this.ssm().send(new PutParameterCommand({ Name: `${this.prefix}/${name}`, Value: value, Type: 'SecureString', Overwrite: true, Description: 'zoneflow notification channel credentials' }));
  }
  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.ssm().send(new GetParameterCommand({ Name: `${this.prefix}/${name}`, WithDecryption: true }))).Parameter?.Value;
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return undefined;
      throw err;
    }
  }
  async delete(name: string): Promise<void> {
    try {
      await this.ssm().send(new DeleteParameterCommand({ Name: `${this.prefix}/${name}` }));
    } catch (err) {
      if ((err as Error).name !== 'ParameterNotFound') throw err;
    }
  }
}
