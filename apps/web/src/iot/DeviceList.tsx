"use client";

import { useState } from "react";
import Link from "next/link";
import { gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { FLEET, type DeviceSummary } from "./iot.graphql";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount, titleCase } from "../ui/format";

const PAGE = 100;

export function kindLabel(kind: string): string {
  return kind === "SMART_METER" ? "Smart meter" : kind === "UAV" ? "UAV" : titleCase(kind);
}

/** Towers and the devices on them: the way into each device's telemetry. */
export function DeviceList() {
  const { data, error, refetch, setData } = useQuery(FLEET, { first: PAGE, after: null });
  const [loadingMore, setLoadingMore] = useState(false);

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

  return (
    <main className="page page--wide">
      <div className="page-header">
        <div>
          <h1>Devices</h1>
          <p className="muted">
            Sensors, meters, cameras and UAVs on the grid. Open one to see its telemetry.
          </p>
        </div>
      </div>
      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading devices…" />
      ) : data.towers.length === 0 && devices.length === 0 ? (
        <EmptyState title="No devices yet" testId="devices-empty">
          <p>
            Register lines, towers and devices through the API (<code>createLine</code>,{" "}
            <code>createTower</code>, <code>createDevice</code>); devices then publish readings to{" "}
            <code>gridfill/&lt;device&gt;/telemetry</code>. <code>gridfill start</code> seeds a demo
            line with three towers.
          </p>
        </EmptyState>
      ) : (
        <>
          <section className="card section" aria-labelledby="towers-heading">
            <header className="section__header">
              <h2 id="towers-heading">Towers</h2>
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
                  </tr>
                </thead>
                <tbody>
                  {data.towers.map((tower) => (
                    <tr key={tower.id} data-testid="tower-row">
                      <th scope="row">{tower.name}</th>
                      <td>
                        {tower.line ? `${tower.line.name} (${tower.line.voltageKv} kV)` : "—"}
                      </td>
                      <td className="num">
                        {tower.latitude.toFixed(4)}, {tower.longitude.toFixed(4)}
                      </td>
                      <td className="num">{formatCount(tower.devices.length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card section" aria-labelledby="devices-heading">
            <header className="section__header">
              <h2 id="devices-heading">Devices</h2>
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
    </main>
  );
}
