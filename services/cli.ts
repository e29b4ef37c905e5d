/**
 * The one CLI: `cdc-sink run`, `cdc-sink check-config` (verify and replay-dlq join here when they exist).
 */
import { Command } from 'commander';
import { CdcSinkError, errorText } from '../connectors/core/errors.ts';
import { loadConfigFile } from './sink/config/load.ts';
import { redact } from './sink/config/redact.ts';
import { runService } from './sink/main.ts';

const DEFAULT_CONFIG = process.env.CDC_SINK_CONFIG ?? 'cdc-sink.yaml';

export function buildCli(): Command {
  const program = new Command();
  program
    .name('cdc-sink')
    .description('Replicate Debezium change events from Kafka into PostgreSQL, MySQL/MariaDB or Oracle')
    .showHelpAfterError();

  program
    .command('run')
    .description('Consume the configured topics and keep the target tables in sync until SIGTERM/SIGINT')
    .option('-c, --config <file>', 'YAML config file (env CDC_SINK_CONFIG)', DEFAULT_CONFIG)
    .action(async (opts: { config: string }) => {
      process.exitCode = await runService(opts.config).catch((err: unknown) => {
        console.error(errorText(err));
        return 2;
      });
    });

  program
    .command('check-config')
    .description('Validate the config file and the CDC_SINK_* environment overrides without connecting to anything')
    .option('-c, --config <file>', 'YAML config file (env CDC_SINK_CONFIG)', DEFAULT_CONFIG)
    .option('--print', 'print the resulting config with secrets masked')
    .action((opts: { config: string; print?: boolean }) => {
      try {
        const config = loadConfigFile(opts.config);
        if (opts.print) {
          console.log(JSON.stringify(redact({ ...config, target: { type: config.target.type, ...config.target.options } }), null, 2));
        }
        console.log(`config ok: ${opts.config}`);
      } catch (err) {
        console.error(err instanceof CdcSinkError ? `${err.code}: ${err.message}` : errorText(err));
        process.exitCode = 1;
      }
    });
  return program;
}

await buildCli().parseAsync(process.argv);
