"use client";

import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { errorMessage, gql } from "../graphql/client";
import { Dialog, ErrorBanner } from "../ui/Dialog";
import { Field, SelectField } from "../ui/Field";
import {
  CREATE_DEVICE,
  ISSUE_DEVICE_CREDENTIAL,
  CREATE_LINE,
  CREATE_TOWER,
  UPDATE_DEVICE,
  UPDATE_LINE,
  UPDATE_TOWER,
  type DeviceKind,
  type DeviceWithSecret,
  type DeviceSummary,
  type LineRef,
  type TowerSummary,
} from "./iot.graphql";
import {
  deviceInput,
  deviceUpdate,
  lineInput,
  towerInput,
  towerUpdate,
  type Checked,
  type DeviceFormValues,
  type LineFormValues,
  type TowerFormValues,
} from "./assetForms";

const KINDS: { value: DeviceKind; label: string }[] = [
  { value: "SENSOR", label: "Sensor" },
  { value: "SMART_METER", label: "Smart meter" },
  { value: "CAMERA", label: "Camera" },
  { value: "UAV", label: "UAV" },
];

/** A create/edit dialog: checks the form locally, sends it, shows the API's refusal if any. */
function AssetFormDialog<T>({
  title,
  testId,
  submitLabel,
  check,
  send,
  onClose,
  onSaved,
  children,
}: {
  title: string;
  testId: string;
  submitLabel: string;
  check: () => Checked<T>;
  send: (value: T) => Promise<unknown>;
  onClose: () => void;
  onSaved: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = check();
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(checked.value);
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <Dialog open title={title} onClose={() => !busy && onClose()} testId={testId}>
      <form onSubmit={submit} className="form" noValidate>
        {children}
        {error && <ErrorBanner message={error} />}
        <footer className="dialog__footer">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={busy}
            data-testid={`${testId}-submit`}
          >
            {busy ? "Saving…" : submitLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

function TextField({
  label,
  value,
  onChange,
  testId,
  hint,
  autoFocus,
  inputMode,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  hint?: string;
  autoFocus?: boolean;
  inputMode?: "decimal";
}) {
  return (
    <Field label={label} hint={hint}>
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        autoFocus={autoFocus}
        inputMode={inputMode}
      />
    </Field>
  );
}

export function LineDialog({
  line,
  onClose,
  onSaved,
}: {
  /** Absent: a new line. */
  line?: LineRef;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<LineFormValues>({
    name: line?.name ?? "",
    voltageKv: line ? String(line.voltageKv) : "",
  });
  return (
    <AssetFormDialog
      title={line ? `Edit ${line.name}` : "New line"}
      testId="line-dialog"
      submitLabel={line ? "Save" : "Create line"}
      check={() => lineInput(form)}
      send={(input) =>
        line ? gql(UPDATE_LINE, { id: line.id, input }) : gql(CREATE_LINE, { input })
      }
      onClose={onClose}
      onSaved={onSaved}
    >
      <TextField
        label="Name"
        value={form.name}
        onChange={(name) => setForm({ ...form, name })}
        testId="line-name"
        autoFocus
      />
      <TextField
        label="Voltage (kV)"
        value={form.voltageKv}
        onChange={(voltageKv) => setForm({ ...form, voltageKv })}
        testId="line-voltage"
        inputMode="decimal"
      />
    </AssetFormDialog>
  );
}

export function TowerDialog({
  tower,
  lines,
  onClose,
  onSaved,
}: {
  tower?: TowerSummary;
  lines: LineRef[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<TowerFormValues>({
    name: tower?.name ?? "",
    latitude: tower ? String(tower.latitude) : "",
    longitude: tower ? String(tower.longitude) : "",
    lineId: tower?.line?.id ?? "",
  });
  return (
    <AssetFormDialog
      title={tower ? `Edit ${tower.name}` : "New tower"}
      testId="tower-dialog"
      submitLabel={tower ? "Save" : "Create tower"}
      check={() => towerInput(form)}
      send={(input) =>
        tower
          ? gql(UPDATE_TOWER, { id: tower.id, input: towerUpdate(input) })
          : gql(CREATE_TOWER, { input })
      }
      onClose={onClose}
      onSaved={onSaved}
    >
      <TextField
        label="Name"
        value={form.name}
        onChange={(name) => setForm({ ...form, name })}
        testId="tower-name"
        autoFocus
      />
      <TextField
        label="Latitude (°, north positive)"
        value={form.latitude}
        onChange={(latitude) => setForm({ ...form, latitude })}
        testId="tower-latitude"
        inputMode="decimal"
      />
      <TextField
        label="Longitude (°, east positive)"
        value={form.longitude}
        onChange={(longitude) => setForm({ ...form, longitude })}
        testId="tower-longitude"
        inputMode="decimal"
        hint="Images whose EXIF GPS position lies within 5 km are put on the nearest tower at upload."
      />
      <SelectField
        label="Line"
        value={form.lineId}
        onChange={(lineId) => setForm({ ...form, lineId })}
        none="None"
        options={lineOptions(lines)}
        selectTestId="tower-line"
      />
    </AssetFormDialog>
  );
}

export function DeviceDialog({
  device,
  towers,
  lines,
  onClose,
  onSaved,
}: {
  device?: DeviceSummary;
  towers: TowerSummary[];
  lines: LineRef[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form, setForm] = useState<DeviceFormValues>({
    name: device?.name ?? "",
    kind: device?.kind ?? "SENSOR",
    towerId: device?.tower?.id ?? "",
    lineId: device?.line?.id ?? "",
  });
  // The secret exists only in this answer: show it before the dialog closes.
  const issued = useRef<DeviceWithSecret | null>(null);
  const [secret, setSecret] = useState<DeviceWithSecret | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [issueError, setIssueError] = useState<string | null>(null);
  if (secret) return <DeviceSecret device={secret} onDone={onSaved} />;

  async function issueNewSecret(id: string) {
    setIssuing(true);
    setIssueError(null);
    try {
      setSecret((await gql(ISSUE_DEVICE_CREDENTIAL, { id })).issueDeviceCredential);
    } catch (caught) {
      setIssueError(errorMessage(caught));
      setIssuing(false);
    }
  }

  return (
    <AssetFormDialog
      title={device ? `Edit ${device.name}` : "New device"}
      testId="device-dialog"
      submitLabel={device ? "Save" : "Create device"}
      check={() => deviceInput(form)}
      send={async (input) => {
        if (device) return gql(UPDATE_DEVICE, { id: device.id, input: deviceUpdate(input) });
        issued.current = (await gql(CREATE_DEVICE, { input })).createDevice;
      }}
      onClose={onClose}
      onSaved={() => (issued.current ? setSecret(issued.current) : onSaved())}
    >
      <TextField
        label="Name"
        value={form.name}
        onChange={(name) => setForm({ ...form, name })}
        testId="device-name"
        hint="It publishes to gridfill/<name>/telemetry."
        autoFocus
      />
      <SelectField
        label="Kind"
        value={form.kind}
        onChange={(kind) => setForm({ ...form, kind })}
        options={KINDS}
        selectTestId="device-kind"
      />
      <SelectField
        label="Tower"
        value={form.towerId}
        onChange={(towerId) => setForm({ ...form, towerId })}
        none="None"
        options={towers.map((tower) => ({ value: tower.id, label: tower.name }))}
        selectTestId="device-tower"
      />
      <SelectField
        label="Line"
        value={form.lineId}
        onChange={(lineId) => setForm({ ...form, lineId })}
        none={device ? "None" : "The tower's line, if any"}
        options={lineOptions(lines)}
        selectTestId="device-line"
      />
      {device && (
        <Field
          label="MQTT secret"
          hint="A new secret replaces the old one: the device must log in with the new one."
        >
          <button
            type="button"
            className="button"
            onClick={() => void issueNewSecret(device.id)}
            disabled={issuing}
            data-testid="device-new-secret"
          >
            {issuing ? "Issuing…" : "Issue a new secret"}
          </button>
          {issueError && <ErrorBanner message={issueError} />}
        </Field>
      )}
    </AssetFormDialog>
  );
}

/** The device's login, shown once: gridfill keeps only a hash of the secret. */
function DeviceSecret({ device, onDone }: { device: DeviceWithSecret; onDone: () => void }) {
  return (
    <Dialog open title={`MQTT login of ${device.name}`} onClose={onDone} testId="device-secret">
      <p>
        The device logs in to the broker with this name and secret and publishes to{" "}
        <code>gridfill/{device.name}/telemetry</code>. Copy the secret now: it is not shown again
        (issue a new one from the device's dialog if it is lost).
      </p>
      <dl className="device-secret">
        <dt>Username</dt>
        <dd>
          <code>{device.name}</code>
        </dd>
        <dt>Secret</dt>
        <dd>
          <code data-testid="device-secret-value">{device.mqttSecret}</code>
        </dd>
      </dl>
      <footer className="dialog__footer">
        <button type="button" className="button button--primary" onClick={onDone} autoFocus>
          Done
        </button>
      </footer>
    </Dialog>
  );
}

function lineOptions(lines: LineRef[]): { value: string; label: string }[] {
  return lines.map((line) => ({ value: line.id, label: `${line.name} (${line.voltageKv} kV)` }));
}
