import { DataTable } from "../ui/DataTable";
import { EmptyState } from "../ui/states";
import { formatCount, titleCase } from "../ui/format";
import type { ImportJob } from "./imports.graphql";

const STATUS_CLASS: Record<ImportJob["status"], string> = {
  QUEUED: "status",
  RUNNING: "status status--running",
  SUCCEEDED: "status status--ready",
  FAILED: "status status--failed",
};

/** One import's progress, counts and (once finished) its error report. */
export function ImportJobView({ job }: { job: ImportJob }) {
  const finished = job.status === "SUCCEEDED" || job.status === "FAILED";
  const total = job.total;
  const boxes = job.boxesAdded.reduce((sum, entry) => sum + entry.boxes, 0);
  return (
    <div
      className="job"
      data-testid="import-job"
      data-status={job.status}
      data-done={job.done}
      data-total={total ?? ""}
      data-added={job.imagesAdded}
      data-duplicates={job.duplicates}
      data-errors={job.errorCount}
    >
      <div className="job__head">
        <span className={STATUS_CLASS[job.status]} data-testid="import-status">
          {titleCase(job.status)}
        </span>
        <span aria-live="polite" data-testid="import-done">
          {total == null
            ? "Reading the archive…"
            : `${formatCount(job.done)} of ${formatCount(total)} images`}
        </span>
      </div>
      <progress
        max={total && total > 0 ? total : 1}
        value={total && total > 0 ? job.done : finished ? 1 : undefined}
        aria-label="Import progress"
      />
      {job.status === "FAILED" && job.message && (
        <div className="banner banner--error" role="alert">
          {job.message}
        </div>
      )}

      <dl className="job__stats">
        <div>
          <dt>Images added</dt>
          <dd data-testid="import-added">{formatCount(job.imagesAdded)}</dd>
        </div>
        <div>
          <dt>Duplicates skipped</dt>
          <dd data-testid="import-duplicates">{formatCount(job.duplicates)}</dd>
        </div>
        <div>
          <dt>Boxes added</dt>
          <dd data-testid="import-boxes">{formatCount(boxes)}</dd>
        </div>
        <div>
          <dt>Problems</dt>
          <dd data-testid="import-error-count">{formatCount(job.errorCount)}</dd>
        </div>
      </dl>

      {job.boxesAdded.length > 0 && (
        <DataTable
          className="job__classes"
          aria-label="Boxes added per class"
          rows={job.boxesAdded}
          rowKey={(entry) => entry.className}
          rowProps={(entry) => ({
            "data-testid": "import-class-row",
            "data-class": entry.className,
          })}
          columns={[
            { header: "Class", rowHeader: true, cell: (entry) => entry.className },
            {
              header: "Boxes added",
              numeric: true,
              cellProps: () => ({ "data-testid": "import-class-boxes" }),
              cell: (entry) => formatCount(entry.boxes),
            },
          ]}
        />
      )}

      {finished && <ErrorReport job={job} />}
    </div>
  );
}

function ErrorReport({ job }: { job: ImportJob }) {
  if (job.errors.length === 0)
    return (
      <EmptyState title="No problems" testId="import-no-errors">
        <p className="muted">Every file in the archive was read.</p>
      </EmptyState>
    );
  return (
    <section className="job__errors" aria-label="Error report">
      <h3>
        Error report{" "}
        <span className="muted">
          {job.errorCount > job.errors.length
            ? `first ${formatCount(job.errors.length)} of ${formatCount(job.errorCount)}`
            : `${formatCount(job.errorCount)} ${job.errorCount === 1 ? "problem" : "problems"}`}
        </span>
      </h3>
      <div className="job__errors-scroll">
        <DataTable
          testId="import-errors"
          rows={job.errors}
          rowKey={(error, index) => `${error.file}-${index}`}
          rowProps={() => ({ "data-testid": "import-error-row" })}
          columns={[
            {
              header: "File",
              cellProps: () => ({ className: "mono" }),
              cell: (error) => error.file,
            },
            { header: "Code", cell: (error) => <code>{error.code}</code> },
            { header: "Message", cell: (error) => error.message },
          ]}
        />
      </div>
    </section>
  );
}
