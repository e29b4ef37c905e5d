-- Target database of the docker-compose stack (runs once, when the target-db volume is created).
-- cdc-sink connects as cdc_sink, owns the schema `shop`, and creates the tables (tables.autoCreate)
-- and its offsets table (cdc_sink_offsets) there itself.
CREATE ROLE cdc_sink WITH LOGIN PASSWORD 'cdc_sink';
CREATE SCHEMA shop AUTHORIZATION cdc_sink;
GRANT CONNECT, TEMPORARY ON DATABASE target TO cdc_sink;
