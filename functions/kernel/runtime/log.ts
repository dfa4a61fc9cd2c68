// Structured JSON logs (one line per event) without a logging library: keeps every handler's cold start small.

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * On Lambda with the JSON log format (AWS_LAMBDA_LOG_FORMAT=JSON, as infra deploys every function) the runtime wraps
 * each console call in its own record and keeps a lone argument as its `message`: a string stays a string — the whole
 * line, which no metric filter can look into — and an object stays an object. So there the record goes as an object,
 * at its level: `{ …, "level": "ERROR", "message": { "level": "error", "message": "lifecycle start failed", … } }`, which
 * the alarms' filters read as `$.message.message`. Elsewhere (the local runtime, tests) it is one JSON line.
 */
const LAMBDA_JSON = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
const CONSOLE: Record<Level, (line: unknown) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.info(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (level === 'debug' && !process.env.ZONEFLOW_DEBUG) return;
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }, (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
  );
  if (LAMBDA_JSON) CONSOLE[level](JSON.parse(line) as unknown);
  else if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
