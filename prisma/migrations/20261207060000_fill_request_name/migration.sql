-- One name for one entity: the model is FillRequest (its table keeps the name GenerationRequest),
-- and the audit log names it so too, for past events as for new ones.
UPDATE "AuditEvent" SET "entityType" = 'FillRequest' WHERE "entityType" = 'GenerationRequest';
