export interface AppConfig {
  port: number;
  color: 'blue' | 'green';
  databaseUrl: string;
  environment: 'production' | 'staging' | 'development';
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

export function loadConfig(): AppConfig {
  const color = process.env.APP_COLOR === 'green' ? 'green' : 'blue';
  const environment = (process.env.APP_ENVIRONMENT ?? 'development') as AppConfig['environment'];
  return {
    port: Number(process.env.PORT ?? 3000),
    color,
    databaseUrl: required('DATABASE_URL'),
    environment,
  };
}
