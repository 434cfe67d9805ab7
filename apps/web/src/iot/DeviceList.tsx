"use client";

import { useState } from "react";
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
    <td className="actions-col">
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
    </td>
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
          <section className="card section" aria-labelledby="lines-heading">
            <header className="section__header">
              <h2 id="lines-heading">Lines</h2>
              {newButton("New line", "new-line", () => setEditing({ what: "line" }))}
            </header>
            {lines.length === 0 ? (
              <p className="muted">No lines.</p>
            ) : (
              <table className="table" data-testid="line-table">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Voltage
                    </th>
                    <th scope="col" className="num">
                      Towers
                    </th>
                    {canEdit && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {lines.map((line) => (
                    <tr key={line.id} data-testid="line-row" data-line={line.name}>
                      <th scope="row">{line.name}</th>
                      <td className="num">{line.voltageKv} kV</td>
                      <td className="num">{formatCount(line.towers.length)}</td>
                      {canEdit && (
                        <RowActions
                          name={line.name}
                          onEdit={() => setEditing({ what: "line", line })}
                          onDelete={() => setDeleting({ what: "line", line })}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card section" aria-labelledby="towers-heading">
            <header className="section__header">
              <h2 id="towers-heading">Towers</h2>
              {newButton("New tower", "new-tower", () => setEditing({ what: "tower" }))}
            </header>
            {data.towers.length === 0 ? (
              <p className="muted">No towers.</p>
            ) : (
              <table className="table" data-testid="tower-table">
                <thead>
                  <tr>
                    <th scope="col">Tower</th>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Position
                    </th>
                    <th scope="col" className="num">
                      Devices
                    </th>
                    {canEdit && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {data.towers.map((tower) => (
                    <tr key={tower.id} data-testid="tower-row" data-tower={tower.name}>
                      <th scope="row">{tower.name}</th>
                      <td>
                        {tower.line ? `${tower.line.name} (${tower.line.voltageKv} kV)` : "—"}
                      </td>
                      <td className="num">
                        {tower.latitude.toFixed(4)}, {tower.longitude.toFixed(4)}
                      </td>
                      <td className="num">{formatCount(tower.devices.length)}</td>
                      {canEdit && (
                        <RowActions
                          name={tower.name}
                          onEdit={() => setEditing({ what: "tower", tower })}
                          onDelete={() => setDeleting({ what: "tower", tower })}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card section" aria-labelledby="devices-heading">
            <header className="section__header">
              <h2 id="devices-heading">Devices</h2>
              {newButton("New device", "new-device", () => setEditing({ what: "device" }))}
            </header>
            {devices.length === 0 ? (
              <p className="muted">No devices.</p>
            ) : (
              <table className="table" data-testid="device-table">
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Tower</th>
                    <th scope="col">Line</th>
                    {canEdit && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {devices.map((device) => (
                    <tr key={device.id} data-testid="device-row" data-device={device.name}>
                      <th scope="row">
                        <Link href={`/devices/${device.id}`}>{device.name}</Link>
                      </th>
                      <td>{kindLabel(device.kind)}</td>
                      <td>{device.tower?.name ?? "—"}</td>
                      <td>{device.line?.name ?? "—"}</td>
                      {canEdit && (
                        <RowActions
                          name={device.name}
                          onEdit={() => setEditing({ what: "device", device })}
                          onDelete={() => setDeleting({ what: "device", device })}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
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
          </section>
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
