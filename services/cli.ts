/**
 * The one CLI: `cdc-sink run`, `cdc-sink check-config`, `cdc-sink replay-dlq` (verify joins here when it exists).
 */
import { Command } from 'commander';
import { CdcSinkError, errorText } from '../connectors/core/errors.ts';
import { loadConfigFile } from './sink/config/load.ts';
import { redact } from './sink/config/redact.ts';
import { replayDeadLetters } from './replay/replay-dlq.ts';
import { runService } from './sink/main.ts';
import { createLogger } from './sink/telemetry/logger.ts';

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
      const code = await runService(opts.config).catch((err: unknown) => {
        console.error(errorText(err));
        return 2;
      });
      // Everything is closed (or timed out closing, e.g. kafkajs retrying an unreachable broker):
      // exit rather than wait for background retries.
      process.exit(code);
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
  program
    .command('replay-dlq')
    .description(
      'Send the records waiting in errors.deadLetterTopic through the pipeline again (after fixing the cause); ' +
        'prints a JSON report, exits 1 if some failed again (they go back to the topic)',
    )
    .option('-c, --config <file>', 'YAML config file (env CDC_SINK_CONFIG)', DEFAULT_CONFIG)
    .action(async (opts: { config: string }) => {
      try {
        const config = loadConfigFile(opts.config);
        const report = await replayDeadLetters(config, { logger: createLogger(config.log.level) });
        console.log(JSON.stringify(report, null, 2));
        process.exitCode = report.failed > 0 ? 1 : 0;
      } catch (err) {
        console.error(err instanceof CdcSinkError ? `${err.code}: ${err.message}` : errorText(err));
        process.exitCode = 2;
      }
    });
  return program;
}

await buildCli().parseAsync(process.argv);
