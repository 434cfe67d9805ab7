"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import {
  DELETE_DEVICE,
  DELETE_LINE,
  DELETE_TOWER,
  FLEET,
  type DeviceSummary,
  type LineSummary,
  type TowerSummary,
} from "./iot.graphql";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { DataTable, type Column } from "../ui/DataTable";
import { ConfirmDialog } from "../ui/Dialog";
import { formatCount, titleCase } from "../ui/format";
import { useSessionUser } from "../auth/session";
import { hasRole } from "../auth/auth.graphql";
import { DeviceDialog, LineDialog, TowerDialog } from "./AssetDialogs";

const PAGE = 100;

export function kindLabel(kind: string): string {
  return kind === "SMART_METER" ? "Smart meter" : kind === "UAV" ? "UAV" : titleCase(kind);
}

type Editing =
  | { what: "line"; line?: LineSummary }
  | { what: "tower"; tower?: TowerSummary }
  | { what: "device"; device?: DeviceSummary };

type Deleting =
  | { what: "line"; line: LineSummary }
  | { what: "tower"; tower: TowerSummary }
  | { what: "device"; device: DeviceSummary };

function RowActions({
  name,
  onEdit,
  onDelete,
}: {
  name: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <>
      <button
        type="button"
        className="button button--small"
        onClick={onEdit}
        aria-label={`Edit ${name}`}
        data-testid="asset-edit"
      >
        Edit
      </button>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={onDelete}
        aria-label={`Delete ${name}`}
        data-testid="asset-delete"
      >
        Delete
      </button>
    </>
  );
}

/** Edit and Delete for curators, in a column without a visible header. */
function actionsColumn<Row>(
  name: (row: Row) => string,
  onEdit: (row: Row) => void,
  onDelete: (row: Row) => void,
): Column<Row> {
  return {
    header: "Actions",
    hideHeader: true,
    cellProps: () => ({ className: "actions-col" }),
    cell: (row) => (
      <RowActions name={name(row)} onEdit={() => onEdit(row)} onDelete={() => onDelete(row)} />
    ),
  };
}

/** One kind of asset: a card with its heading, its New button, and its table or "No …". */
function AssetSection({
  title,
  headingId,
  action,
  empty,
  children,
}: {
  title: string;
  headingId: string;
  action: ReactNode;
  empty: string | false;
  children: ReactNode;
}) {
  return (
    <section className="card section" aria-labelledby={headingId}>
      <header className="section__header">
        <h2 id={headingId}>{title}</h2>
        {action}
      </header>
      {empty ? <p className="muted">{empty}</p> : children}
    </section>
  );
}

function deleteMessage(target: Deleting): string {
  switch (target.what) {
    case "line":
      return `Delete the line ${target.line.name}? Its ${target.line.towers.length} tower(s) and their devices stay, without a line.`;
    case "tower":
      return `Delete the tower ${target.tower.name}? Its ${target.tower.devices.length} device(s) and its images stay, without a tower.`;
    case "device":
      return `Delete the device ${target.device.name} and all its readings? Images it took stay, without a device.`;
  }
}

/** Lines, towers and devices, with their forms: the way into each device's telemetry. */
export function DeviceList() {
  const { data, error, refetch, setData } = useQuery(FLEET, { first: PAGE, after: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const canEdit = hasRole(useSessionUser(), "CURATOR");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  function saved() {
    setEditing(null);
    void refetch();
  }

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      if (deleting.what === "line") await gql(DELETE_LINE, { id: deleting.line.id });
      else if (deleting.what === "tower") await gql(DELETE_TOWER, { id: deleting.tower.id });
      else await gql(DELETE_DEVICE, { id: deleting.device.id });
      setDeleting(null);
      void refetch();
    } catch (caught) {
      setDeleteError(errorMessage(caught));
    } finally {
      setDeleteBusy(false);
    }
  }

  async function loadMore() {
    const after = data?.devices.pageInfo.endCursor;
    if (!after) return;
    setLoadingMore(true);
    try {
      const next = await gql(FLEET, { first: PAGE, after });
      setData(
        (previous) =>
          previous && {
            ...previous,
            devices: {
              edges: [...previous.devices.edges, ...next.devices.edges],
              pageInfo: next.devices.pageInfo,
            },
          },
      );
    } finally {
      setLoadingMore(false);
    }
  }

  const devices: DeviceSummary[] = data?.devices.edges.map((edge) => edge.node) ?? [];
  const lines = data?.lines ?? [];
  const towers = data?.towers ?? [];
  const newButton = (label: string, testId: string, open: () => void) =>
    canEdit && (
      <button type="button" className="button" onClick={open} data-testid={testId}>
        {label}
      </button>
    );

  return (
    <main className="page page--wide">
      <div className="page-header">
        <div>
          <h1>Grid assets</h1>
          <p className="muted">
            Power lines, their towers, and the sensors, meters, cameras and UAVs on them. Open a
            device to see its telemetry.
          </p>
        </div>
      </div>
      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading devices…" />
      ) : lines.length === 0 && towers.length === 0 && devices.length === 0 ? (
        <EmptyState title="No devices yet" testId="devices-empty">
          <p>
            Add a line, its towers and the devices on them
            {canEdit ? " here" : " (a curator can)"}; devices then publish readings to{" "}
            <code>gridfill/&lt;device&gt;/telemetry</code>. <code>gridfill start</code> seeds a demo
            line with three towers.
          </p>
          {canEdit && (
            <p>
              {newButton("New line", "new-line", () => setEditing({ what: "line" }))}{" "}
              {newButton("New tower", "new-tower", () => setEditing({ what: "tower" }))}{" "}
              {newButton("New device", "new-device", () => setEditing({ what: "device" }))}
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          <AssetSection
            title="Lines"
            headingId="lines-heading"
            action={newButton("New line", "new-line", () => setEditing({ what: "line" }))}
            empty={lines.length === 0 && "No lines."}
          >
            <DataTable
              testId="line-table"
              rows={lines}
              rowKey={(line) => line.id}
              rowProps={(line) => ({ "data-testid": "line-row", "data-line": line.name })}
              columns={[
                { header: "Line", rowHeader: true, cell: (line) => line.name },
                { header: "Voltage", numeric: true, cell: (line) => `${line.voltageKv} kV` },
                {
                  header: "Towers",
                  numeric: true,
                  cell: (line) => formatCount(line.towers.length),
                },
                canEdit &&
                  actionsColumn<LineSummary>(
                    (line) => line.name,
                    (line) => setEditing({ what: "line", line }),
                    (line) => setDeleting({ what: "line", line }),
                  ),
              ]}
            />
          </AssetSection>
          <AssetSection
            title="Towers"
            headingId="towers-heading"
            action={newButton("New tower", "new-tower", () => setEditing({ what: "tower" }))}
            empty={data.towers.length === 0 && "No towers."}
          >
            <DataTable
              testId="tower-table"
              rows={data.towers}
              rowKey={(tower) => tower.id}
              rowProps={(tower) => ({ "data-testid": "tower-row", "data-tower": tower.name })}
              columns={[
                { header: "Tower", rowHeader: true, cell: (tower) => tower.name },
                {
                  header: "Line",
                  cell: (tower) =>
                    tower.line ? `${tower.line.name} (${tower.line.voltageKv} kV)` : "—",
                },
                {
                  header: "Position",
                  numeric: true,
                  cell: (tower) => `${tower.latitude.toFixed(4)}, ${tower.longitude.toFixed(4)}`,
                },
                {
                  header: "Devices",
                  numeric: true,
                  cell: (tower) => formatCount(tower.devices.length),
                },
                canEdit &&
                  actionsColumn<TowerSummary>(
                    (tower) => tower.name,
                    (tower) => setEditing({ what: "tower", tower }),
                    (tower) => setDeleting({ what: "tower", tower }),
                  ),
              ]}
            />
          </AssetSection>
          <AssetSection
            title="Devices"
            headingId="devices-heading"
            action={newButton("New device", "new-device", () => setEditing({ what: "device" }))}
            empty={devices.length === 0 && "No devices."}
          >
            <DataTable
              testId="device-table"
              rows={devices}
              rowKey={(device) => device.id}
              rowProps={(device) => ({ "data-testid": "device-row", "data-device": device.name })}
              columns={[
                {
                  header: "Device",
                  rowHeader: true,
                  cell: (device) => <Link href={`/devices/${device.id}`}>{device.name}</Link>,
                },
                { header: "Kind", cell: (device) => kindLabel(device.kind) },
                { header: "Tower", cell: (device) => device.tower?.name ?? "—" },
                { header: "Line", cell: (device) => device.line?.name ?? "—" },
                canEdit &&
                  actionsColumn<DeviceSummary>(
                    (device) => device.name,
                    (device) => setEditing({ what: "device", device }),
                    (device) => setDeleting({ what: "device", device }),
                  ),
              ]}
            />
            {data.devices.pageInfo.hasNextPage && (
              <div className="center">
                <button
                  type="button"
                  className="button"
                  onClick={() => void loadMore()}
                  disabled={loadingMore}
                >
                  {loadingMore ? "Loading…" : "Load more"}
                </button>
              </div>
            )}
          </AssetSection>
        </>
      )}
      {editing?.what === "line" && (
        <LineDialog line={editing.line} onClose={() => setEditing(null)} onSaved={saved} />
      )}
      {editing?.what === "tower" && (
        <TowerDialog
          tower={editing.tower}
          lines={lines}
          onClose={() => setEditing(null)}
          onSaved={saved}
        />
      )}
      {editing?.what === "device" && (
        <DeviceDialog
          device={editing.device}
          towers={towers}
          lines={lines}
          onClose={() => setEditing(null)}
          onSaved={saved}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete"
        message={deleting ? deleteMessage(deleting) : ""}
        confirmLabel="Delete"
        danger
        busy={deleteBusy}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => {
          setDeleting(null);
          setDeleteError(null);
        }}
      />
    </main>
  );
}
