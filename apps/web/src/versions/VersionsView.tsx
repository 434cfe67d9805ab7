"use client";

import { useState, type FormEvent } from "react";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { useDataset } from "../datasets/DatasetContext";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { EmptyState } from "../ui/states";
import { QueryView } from "../ui/QueryView";
import { DataTable } from "../ui/DataTable";
import { Field } from "../ui/Field";
import { ErrorBanner } from "../ui/Dialog";
import { formatCount, formatDateTime } from "../ui/format";
import { CREATE_VERSION, VERSIONS, type DatasetVersion } from "./versions.graphql";
import { VersionDiffPanel } from "./VersionDiffPanel";
import { ExportDialog } from "../exports/ExportDialog";

/** The dataset's frozen versions: create one, compare two, export one. */
export function VersionsView() {
  const { dataset } = useDataset();
  const user = useSessionUser();
  const canEdit = hasRole(user, "CURATOR");
  const { data, error, refetch } = useQuery(VERSIONS, { datasetId: dataset.id });
  const [note, setNote] = useState("");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  // Ids ticked for comparison, in the order they were ticked (at most two).
  const [selected, setSelected] = useState<string[]>([]);
  const [comparing, setComparing] = useState<{ fromId: string; toId: string } | null>(null);
  const [exporting, setExporting] = useState<DatasetVersion | null>(null);

  const versions = data?.versions ?? [];

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      await gql(CREATE_VERSION, { datasetId: dataset.id, note: note.trim() || null });
      setNote("");
      await refetch();
    } catch (caught) {
      setCreateError(errorMessage(caught));
    } finally {
      setCreating(false);
    }
  }

  function toggle(id: string) {
    setSelected((previous) =>
      previous.includes(id)
        ? previous.filter((value) => value !== id)
        : [...previous, id].slice(-2),
    );
  }

  function compare() {
    const chosen = versions.filter((version) => selected.includes(version.id));
    if (chosen.length !== 2) return;
    // Always older → newer, whatever order they were ticked in.
    const [older, newer] = [...chosen].sort((a, b) => a.number - b.number);
    setComparing({ fromId: older!.id, toId: newer!.id });
  }

  return (
    <main className="page page--wide versions">
      <section className="card section">
        <div className="section__header">
          <div>
            <h2>Versions</h2>
            <p className="muted">
              A version freezes the dataset as it is now: its images, boxes and class counts.
              Exports are made from versions.
            </p>
          </div>
          {canEdit && (
            <form className="versions__create" onSubmit={(event) => void create(event)}>
              <Field label="Note" inline>
                <input
                  value={note}
                  onChange={(event) => setNote(event.target.value)}
                  placeholder="optional, e.g. March import"
                  maxLength={500}
                  data-testid="version-note"
                />
              </Field>
              <button
                type="submit"
                className="button button--primary"
                disabled={creating}
                data-testid="create-version"
              >
                {creating ? "Creating…" : "Create version"}
              </button>
            </form>
          )}
        </div>
        {createError && (
          <ErrorBanner message={createError} onDismiss={() => setCreateError(null)} />
        )}

        <QueryView
          error={error}
          data={data?.versions}
          keepDataOnError
          onRetry={refetch}
          loading="Loading versions…"
          isEmpty={(list) => list.length === 0}
          empty={
            <EmptyState title="No versions yet" testId="versions-empty">
              <p className="muted">
                Create the first version to freeze the dataset as it is, then compare or export it.
              </p>
            </EmptyState>
          }
        >
          {(versions) => (
            <>
              <DataTable
                testId="versions-table"
                rows={versions}
                rowKey={(version) => version.id}
                rowProps={(version) => ({
                  "data-testid": "version-row",
                  "data-number": version.number,
                  className: selected.includes(version.id) ? "row--selected" : undefined,
                })}
                columns={[
                  {
                    header: "Compare",
                    hideHeader: true,
                    cell: (version) => (
                      <input
                        type="checkbox"
                        checked={selected.includes(version.id)}
                        onChange={() => toggle(version.id)}
                        aria-label={`Compare version ${version.number}`}
                        data-testid="version-select"
                      />
                    ),
                  },
                  { header: "Version", rowHeader: true, cell: (version) => `v${version.number}` },
                  {
                    header: "Note",
                    cell: (version) => version.note || <span className="muted">—</span>,
                  },
                  { header: "Created", cell: (version) => formatDateTime(version.createdAt) },
                  {
                    header: "Images",
                    numeric: true,
                    cellProps: () => ({ "data-testid": "version-images" }),
                    cell: (version) => formatCount(version.images),
                  },
                  {
                    header: "Boxes",
                    numeric: true,
                    cellProps: () => ({ "data-testid": "version-boxes" }),
                    cell: (version) => formatCount(version.boxes),
                  },
                  {
                    header: "Actions",
                    hideHeader: true,
                    headerClassName: "actions-col",
                    cellProps: () => ({ className: "actions-col" }),
                    cell: (version) =>
                      canEdit && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => setExporting(version)}
                          data-testid="version-export"
                        >
                          Export…
                        </button>
                      ),
                  },
                ]}
              />
              <div className="versions__compare">
                <span className="muted">
                  {selected.length === 2
                    ? "Two versions selected."
                    : `Tick two versions to compare them (${selected.length} of 2).`}
                </span>
                <button
                  type="button"
                  className="button"
                  onClick={compare}
                  disabled={selected.length !== 2}
                  data-testid="compare-versions"
                >
                  Compare
                </button>
              </div>
            </>
          )}
        </QueryView>
      </section>

      {comparing && (
        <VersionDiffPanel
          key={`${comparing.fromId}-${comparing.toId}`}
          fromId={comparing.fromId}
          toId={comparing.toId}
          onClose={() => setComparing(null)}
        />
      )}

      <ExportDialog version={exporting} onClose={() => setExporting(null)} />
    </main>
  );
}
