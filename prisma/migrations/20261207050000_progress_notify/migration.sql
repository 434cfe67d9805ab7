-- Progress by notification: every change to a job's progress (fill requests, imports, exports)
-- sends one NOTIFY on `gridfill_progress` in the transaction that makes it, whoever writes it. The
-- API LISTENs once per process and re-reads only the row that changed, so a subscriber costs the
-- database nothing while nothing moves. Heartbeats are not progress and send nothing.
CREATE FUNCTION gridfill_notify_progress() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'gridfill_progress',
    json_build_object(
      'kind', TG_ARGV[0],
      'id', NEW.id,
      'datasetId', CASE WHEN TG_ARGV[0] = 'export' THEN NULL ELSE to_jsonb(NEW) ->> 'datasetId' END
    )::text
  );
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "GenerationRequest_progress_insert" AFTER INSERT ON "GenerationRequest"
  FOR EACH ROW EXECUTE FUNCTION gridfill_notify_progress('fill');
CREATE TRIGGER "GenerationRequest_progress_update" AFTER UPDATE ON "GenerationRequest"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.completed IS DISTINCT FROM NEW.completed
    OR OLD.error IS DISTINCT FROM NEW.error OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt"
    OR OLD."executionProvider" IS DISTINCT FROM NEW."executionProvider"
  ) EXECUTE FUNCTION gridfill_notify_progress('fill');

CREATE TRIGGER "ImportJob_progress_insert" AFTER INSERT ON "ImportJob"
  FOR EACH ROW EXECUTE FUNCTION gridfill_notify_progress('import');
CREATE TRIGGER "ImportJob_progress_update" AFTER UPDATE ON "ImportJob"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.done IS DISTINCT FROM NEW.done
    OR OLD.total IS DISTINCT FROM NEW.total OR OLD.message IS DISTINCT FROM NEW.message
    OR OLD."imagesAdded" IS DISTINCT FROM NEW."imagesAdded"
    OR OLD.errors IS DISTINCT FROM NEW.errors
  ) EXECUTE FUNCTION gridfill_notify_progress('import');

CREATE TRIGGER "ExportJob_progress_insert" AFTER INSERT ON "ExportJob"
  FOR EACH ROW EXECUTE FUNCTION gridfill_notify_progress('export');
CREATE TRIGGER "ExportJob_progress_update" AFTER UPDATE ON "ExportJob"
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.images IS DISTINCT FROM NEW.images
    OR OLD.message IS DISTINCT FROM NEW.message OR OLD."objectKey" IS DISTINCT FROM NEW."objectKey"
  ) EXECUTE FUNCTION gridfill_notify_progress('export');
