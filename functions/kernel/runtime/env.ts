// Configuration from the environment: read once at module load, missing values fail fast (at cold start, not mid-request).

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
