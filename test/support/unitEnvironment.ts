/** Runs before each unit and infra test file's imports: no engines, and no log lines between the results. */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
