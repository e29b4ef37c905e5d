/** `cdc-sink run`: build the app from a config file, run until SIGTERM/SIGINT or a stop error. */
import { errorText } from '../../connectors/core/errors.ts';
import { buildApp } from './app.ts';
import { loadConfigFile } from './config/load.ts';
import { createLogger } from './telemetry/logger.ts';

export async function runService(configFile: string): Promise<number> {
  const config = loadConfigFile(configFile);
  const logger = createLogger(config.log.level);
  const app = buildApp(config, { logger });
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void app.stop();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  try {
    await app.start();
  } catch (err) {
    logger.fatal({ err: errorText(err) }, 'start failed');
  }
  const failure = await app.finished;
  return failure ? 1 : 0;
}
